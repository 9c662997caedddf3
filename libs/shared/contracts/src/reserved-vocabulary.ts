/**
 * Names that carry platform-wide power, shared by the identity backend (tenant roles) and the
 * authorization server (client registrations, token issuance). DESIGN.md §2 "Admin API authorization".
 */

/**
 * Permission families only a platform administrator holds: platform administration itself,
 * signing keys and APIs (resource servers, global custom scopes) of the authorization server.
 * They never go into a tenant role — every role is a tenant's.
 */
export const RESERVED_PERMISSION_PREFIXES = ['platform:', 'authz-keys:', 'authz-apis:'] as const;

export function isReservedPermission(permission: string): boolean {
  return RESERVED_PERMISSION_PREFIXES.some((prefix) => permission.startsWith(prefix));
}

/** The authorization server's own service scope for the identity backend's internal API. */
export const IDENTITY_INTERNAL_SCOPE = 'identity.internal';

/**
 * Scopes no registered client may hold and the token endpoint never issues: only the
 * authorization server's service identity carries them, in tokens it mints itself.
 */
export const SERVICE_ONLY_SCOPES: readonly string[] = [IDENTITY_INTERNAL_SCOPE];
