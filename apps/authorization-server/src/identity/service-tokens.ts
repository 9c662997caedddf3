import { importJWK, type JWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';

export interface ServiceTokenOptions {
  issuer: string;
  audience: string;
  /** The active private signing key (the first of the provider's keys). */
  activeKey: () => Promise<JWK>;
  ttlSeconds?: number;
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

  constructor(private readonly options: ServiceTokenOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 300;
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    const jwk = await this.options.activeKey();
    const token = await new SignJWT({ client_id: SERVICE_CLIENT_ID, scope: 'identity.internal' })
      .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid!, typ: 'at+jwt' })
      .setIssuer(this.options.issuer)
      .setAudience(this.options.audience)
      .setSubject(SERVICE_CLIENT_ID)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(await importJWK(jwk, jwk.alg));
    // Renewed well before expiry, and after a key rotation within that same margin.
    this.cached = { token, renewAt: Date.now() + (this.ttlSeconds * 1000) / 2 };
    return token;
  }
}
