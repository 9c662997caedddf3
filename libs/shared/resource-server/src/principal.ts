import type { JWTPayload } from 'jose';

/** Who is calling, as established from a verified access token. */
export interface Principal {
  subject: string;
  clientId: string;
  tenantId: string | null;
  scopes: ReadonlySet<string>;
  permissions: ReadonlySet<string>;
  roles: readonly string[];
  /** RFC 9068: a client-credentials token has sub = client_id. */
  kind: 'user' | 'client';
  isPlatformAdmin: boolean;
  claims: JWTPayload;
}

export const PLATFORM_ADMIN_PERMISSION = 'platform:admin';
export const PLATFORM_ADMIN_SCOPE = 'platform.admin';

const stringArray = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function principalFromClaims(claims: JWTPayload): Principal {
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : '';
  const subject = claims.sub ?? clientId;
  const scopes = new Set(typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : []);
  const permissions = new Set(stringArray(claims.permissions));
  const kind = subject === clientId ? 'client' : 'user';
  return {
    subject,
    clientId,
    tenantId: typeof claims.tenant_id === 'string' ? claims.tenant_id : null,
    scopes,
    permissions,
    roles: stringArray(claims.roles),
    kind,
    // The scope only for a platform client's own token: an app granted platform.admin does not make
    // its users operators, and a tenant's client is never one (the server refuses it the scope too).
    isPlatformAdmin:
      permissions.has(PLATFORM_ADMIN_PERMISSION) ||
      (kind === 'client' && scopes.has(PLATFORM_ADMIN_SCOPE) && typeof claims.tenant_id !== 'string'),
    claims,
  };
}
