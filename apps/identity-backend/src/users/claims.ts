import { isReservedPermission, STANDARD_SCOPE_CLAIMS } from '@platform/contracts';
import type { User } from './user.entity';

export interface UserClaims {
  sub: string;
  tenant_id: string;
  roles: string[];
  permissions: string[];
  /** Names of the user's groups; the authorization server releases them under the `groups` scope. */
  groups: string[];
  [claim: string]: unknown;
}

/** The claims a token or userinfo response may carry for the granted scopes. */
export function claimsFor(
  user: User,
  scopes: ReadonlySet<string>,
  roles: { name: string; permissions: string[] }[],
  groups: string[] = [],
): UserClaims {
  const claims: UserClaims = {
    sub: user.id,
    tenant_id: user.tenantId,
    roles: roles.map((r) => r.name),
    // Every role is a tenant's, and tenant roles never grant platform power: a role written before
    // those names were reserved keeps them in the database but never in a token.
    permissions: [...new Set(roles.flatMap((r) => r.permissions))].filter((p) => !isReservedPermission(p)).sort(),
    groups,
  };
  const profile = user.profile as Record<string, unknown>;
  // email and updated_at come from the account itself, below.
  for (const [scope, names] of Object.entries(STANDARD_SCOPE_CLAIMS)) {
    if (!scopes.has(scope)) continue;
    for (const name of names) if (profile[name] !== undefined) claims[name] = profile[name];
  }
  if (scopes.has('profile')) {
    claims.updated_at = Math.floor(user.updatedAt.getTime() / 1000);
    if (claims.preferred_username === undefined && user.username) claims.preferred_username = user.username;
  }
  if (scopes.has('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
