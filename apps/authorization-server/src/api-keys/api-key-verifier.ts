import { sha256Hex } from '@platform/crypto';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClientTenants } from '../oidc/client-tenants';
import { apiKeyId } from './api-key-format';

/** What a genuine, usable key grants. */
export interface UsableApiKey {
  id: string;
  tenantId: string | null;
  clientId: string | null;
  audience: string;
  scopes: string[];
  expiresAt: Date | null;
  createdAt: Date;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  client_id: string | null;
  audience: string;
  scopes: string[];
  secret_hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  touch: boolean;
}

/** A hash no key has, compared against when the id is unknown so both paths do the same work. */
const NO_KEY = '0'.repeat(64);

/**
 * Checks presented API keys on the protocol endpoints (introspection, token exchange).
 * A key is usable by the client that owns it, and by the clients of the tenant it belongs
 * to (a tenant's gateway introspecting or exchanging the keys of the tenant's callers).
 */
export class ApiKeyVerifier {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clientTenants: ClientTenants,
  ) {}

  /** The key, when it is genuine, neither revoked nor expired, and `callerClientId` may use it; otherwise null. */
  async verify(presented: string, callerClientId: string): Promise<UsableApiKey | null> {
    const id = apiKeyId(presented);
    if (!id) return null;
    const [row] = (await this.dataSource.query(
      `SELECT id, tenant_id, client_id, audience, scopes, secret_hash, expires_at, revoked_at, created_at,
              (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds') AS touch
         FROM api_keys WHERE id = $1`,
      [id],
    )) as ApiKeyRow[];
    const genuine = sameHash(row?.secret_hash ?? NO_KEY, sha256Hex(presented));
    if (!row || !genuine || row.revoked_at || (row.expires_at && row.expires_at.getTime() <= Date.now())) return null;
    if (!(await this.mayUse(row, callerClientId))) return null;
    if (row.touch) await this.dataSource.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      audience: row.audience,
      scopes: row.scopes,
      expiresAt: row.expires_at,
      createdAt: row.created_at,
    };
  }

  private async mayUse(row: ApiKeyRow, callerClientId: string): Promise<boolean> {
    if (row.client_id === callerClientId) return true;
    return row.tenant_id !== null && (await this.clientTenants.of(callerClientId)) === row.tenant_id;
  }
}

function sameHash(expected: string, presented: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The RFC 7662 answer for a usable key: who it stands for, for which API, with which scopes. */
export function apiKeyIntrospection(key: UsableApiKey, issuer: string): Record<string, unknown> {
  // A tenant's key that no client owns speaks for itself: sub = client_id, as for a client token.
  const subject = key.clientId ?? `api-key:${key.id}`;
  return {
    active: true,
    token_type: 'api_key',
    scope: key.scopes.join(' '),
    aud: key.audience,
    iss: issuer,
    sub: subject,
    client_id: subject,
    iat: Math.floor(key.createdAt.getTime() / 1000),
    ...(key.expiresAt ? { exp: Math.floor(key.expiresAt.getTime() / 1000) } : {}),
    ...(key.tenantId ? { tenant_id: key.tenantId } : {}),
    api_key_id: key.id,
  };
}
