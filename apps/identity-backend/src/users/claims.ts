import type { User } from './user.entity';

/** OpenID Connect Core §5.4: which standard claims each scope releases. */
const CLAIMS_BY_SCOPE = {
  profile: [
    'name',
    'family_name',
    'given_name',
    'middle_name',
    'nickname',
    'preferred_username',
    'profile',
    'picture',
    'website',
    'gender',
    'birthdate',
    'zoneinfo',
    'locale',
  ],
  email: [],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
} as const;

export interface UserClaims {
  sub: string;
  tenant_id: string;
  roles: string[];
  permissions: string[];
  [claim: string]: unknown;
}

/** The claims a token or userinfo response may carry for the granted scopes. */
export function claimsFor(
  user: User,
  scopes: ReadonlySet<string>,
  roles: { name: string; permissions: string[] }[],
): UserClaims {
  const claims: UserClaims = {
    sub: user.id,
    tenant_id: user.tenantId,
    roles: roles.map((r) => r.name),
    permissions: [...new Set(roles.flatMap((r) => r.permissions))].sort(),
  };
  const profile = user.profile as Record<string, unknown>;
  for (const [scope, names] of Object.entries(CLAIMS_BY_SCOPE)) {
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
