import { type Clock, SystemClock } from '@platform/runtime';
import { importJWK, type JWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

export interface ServiceTokenOptions {
  issuer: string;
  audience: string;
  /** The active private signing key (the first of the provider's keys). */
  activeKey: () => Promise<JWK>;
  ttlSeconds?: number;
  /** When a token is issued and renewed (PlatformModule's clock; a spec's ManualClock). */
  clock?: Clock;
}

export const SERVICE_CLIENT_ID = 'authorization-server';

/**
 * The short-lived, audience-bound token this server presents to the identity backend's
 * internal API (scope `identity.internal`). It is an RFC 9068 access token signed with the
 * active key, so the backend verifies it against /jwks like any other; minted here rather
 * than fetched from /token to keep user logins off an extra HTTP round trip.
 */
export class ServiceTokens {
  private cached: { token: string; renewAt: number } | null = null;
  private readonly ttlSeconds: number;
  private readonly clock: Clock;

  constructor(private readonly options: ServiceTokenOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 300;
    this.clock = options.clock ?? new SystemClock();
  }

  async token(): Promise<string> {
    const now = this.clock.nowMs();
    if (this.cached && now < this.cached.renewAt) return this.cached.token;
    const jwk = await this.options.activeKey();
    const token = await new SignJWT({ client_id: SERVICE_CLIENT_ID, scope: 'identity.internal' })
      .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid!, typ: 'at+jwt' })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(SERVICE_CLIENT_ID)
      .setJti(randomUUID())
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + this.ttlSeconds)
      .sign(await importJWK(jwk, jwk.alg));
    // Renewed well before expiry, and after a key rotation within that same margin.
    this.cached = { token, renewAt: now + (this.ttlSeconds * 1000) / 2 };
    return token;
  }
}
