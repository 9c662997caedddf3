import { Injectable } from '@nestjs/common';
import { sha256Hex } from '@platform/crypto';
import { Clock } from '@platform/runtime';
import { timingSafeEqual } from 'node:crypto';
import { ClientTenants } from '../oidc/client-tenants';
import { apiKeyId } from './api-key-format';
import { ApiKeysRepository, type StoredApiKey } from './api-keys.repository';

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

/** A hash no key has, compared against when the id is unknown so both paths do the same work. */
const NO_KEY = '0'.repeat(64);

/**
 * Checks presented API keys on the protocol endpoints (introspection, token exchange).
 * A key is usable by the client that owns it, and by the clients of the tenant it belongs
 * to (a tenant's gateway introspecting or exchanging the keys of the tenant's callers).
 */
@Injectable()
export class ApiKeyVerifier {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clientTenants: ClientTenants,
    private readonly clock: Clock,
  ) {}

  /** The key, when it is genuine, neither revoked nor expired, and `callerClientId` may use it; otherwise null. */
  async verify(presented: string, callerClientId: string): Promise<UsableApiKey | null> {
    const id = apiKeyId(presented);
    if (!id) return null;
    const key = await this.keys.findForVerification(id);
    const genuine = sameHash(key?.secretHash ?? NO_KEY, sha256Hex(presented));
    if (!key || !genuine || key.revokedAt || (key.expiresAt && key.expiresAt.getTime() <= this.clock.nowMs())) {
      return null;
    }
    if (!(await this.mayUse(key, callerClientId))) return null;
    if (key.touch) await this.keys.recordUse(id);
    return {
      id: key.id,
      tenantId: key.tenantId,
      clientId: key.clientId,
      audience: key.audience,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
      createdAt: key.createdAt,
    };
  }

  private async mayUse(key: StoredApiKey, callerClientId: string): Promise<boolean> {
    if (key.clientId === callerClientId) return true;
    return key.tenantId !== null && (await this.clientTenants.of(callerClientId)) === key.tenantId;
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
