import { IDENTITY_INTERNAL_SCOPE } from './reserved-vocabulary';

/**
 * The platform's own API scopes and the permissions tenant roles may hold: one catalogue for the
 * authorization server (which registers the two APIs and maps scopes to permissions, oidc/bootstrap.ts),
 * the console (which asks for the scopes and offers the permissions) and the e2e suites.
 */

/** Platform administration, on both APIs (⇒ platform:admin); only platform clients and operators get it. */
export const PLATFORM_ADMIN_API_SCOPE = 'platform.admin';

/** The identity API's scopes an administration app may ask for (never identity.internal). */
export const IDENTITY_ADMIN_SCOPES: readonly string[] = [
  'identity.tenants.read',
  'identity.tenants.write',
  'identity.users.read',
  'identity.users.write',
  'identity.roles.read',
  'identity.roles.write',
  'identity.idps.read',
  'identity.idps.write',
  'identity.audit.read',
];

/** Every scope of the identity API: the administration ones, the authorization server's service scope, platform administration. */
export const IDENTITY_API_SCOPES: readonly string[] = [
  ...IDENTITY_ADMIN_SCOPES,
  IDENTITY_INTERNAL_SCOPE,
  PLATFORM_ADMIN_API_SCOPE,
];

/** The scopes of the authorization server's management API, platform administration aside. */
export const AUTHZ_ADMIN_SCOPES: readonly string[] = [
  'authz.keys.read',
  'authz.keys.write',
  'authz.clients.read',
  'authz.clients.write',
  'authz.apis.read',
  'authz.apis.write',
  'authz.apikeys.read',
  'authz.apikeys.write',
  'authz.sessions.read',
  'authz.sessions.write',
  'authz.claims.read',
  'authz.claims.write',
];

/** Every scope of the authorization server's management API. */
export const AUTHZ_API_SCOPES: readonly string[] = [...AUTHZ_ADMIN_SCOPES, PLATFORM_ADMIN_API_SCOPE];

/** The identity API's permissions a tenant administrator holds (users:impersonate aside: an operator's). */
export const TENANT_IDENTITY_PERMISSIONS: readonly string[] = [
  'tenants:read',
  'tenants:write',
  'users:read',
  'users:write',
  'roles:read',
  'roles:write',
  'idps:read',
  'idps:write',
  'audit:read',
];

/** The management API's permissions a tenant role may hold: its clients, API keys and custom scopes (authz-keys:*, authz-apis:* are reserved). */
export const TENANT_AUTHZ_PERMISSIONS: readonly string[] = [
  'authz-clients:read',
  'authz-clients:write',
  'authz-apikeys:read',
  'authz-apikeys:write',
  'authz-claims:read',
  'authz-claims:write',
];
