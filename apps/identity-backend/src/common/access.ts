/**
 * What each admin endpoint requires: the scope a client token (client credentials)
 * must carry, or the permission a user must hold through their roles.
 */
export const Access = {
  tenantsRead: { scopes: ['identity.tenants.read'], permissions: ['tenants:read'] },
  tenantsWrite: { scopes: ['identity.tenants.write'], permissions: ['tenants:write'] },
  usersRead: { scopes: ['identity.users.read'], permissions: ['users:read'] },
  usersWrite: { scopes: ['identity.users.write'], permissions: ['users:write'] },
  /** Acting as a user (issue 16): its own permission, never implied by users:write, and never a client's. */
  usersImpersonate: { permissions: ['users:impersonate'] },
  rolesRead: { scopes: ['identity.roles.read'], permissions: ['roles:read'] },
  rolesWrite: { scopes: ['identity.roles.write'], permissions: ['roles:write'] },
  idpsRead: { scopes: ['identity.idps.read'], permissions: ['idps:read'] },
  idpsWrite: { scopes: ['identity.idps.write'], permissions: ['idps:write'] },
  auditRead: { scopes: ['identity.audit.read'], permissions: ['audit:read'] },
  /** The internal API: only the authorization server's service token carries this scope. */
  internal: { scopes: ['identity.internal'] },
} as const;
