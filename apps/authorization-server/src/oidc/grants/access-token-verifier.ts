import type { Clock } from '@platform/runtime';
import { createLocalJWKSet, decodeProtectedHeader, type JWK, jwtVerify } from 'jose';
import type Provider from 'oidc-provider';
import { publicJwks } from '../resource-server-introspection';
import { type ActClaim, actClaimOf } from './delegation';

/** An access token this server issued, still valid: whom it names, for which client, what it allows. */
export interface VerifiedAccessToken {
  /** The user, or the client itself for a client-credentials token. */
  sub: string;
  clientId: string;
  scopes: string[];
  expiresAt: Date | null;
  act?: ActClaim;
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedAccessToken | null>;
}

const isJws = (token: string): boolean => {
  try {
    return token.split('.').length === 3 && Boolean(decodeProtectedHeader(token).alg);
  } catch {
    return false;
  }
};

const scopesOf = (scope: unknown): string[] => (typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []);

/**
 * The token exchange's subject and actor tokens: this issuer's JWT access tokens (RFC 9068,
 * signature, `typ`, issuer and expiry by the injected clock) or its opaque ones (the provider's
 * store: access tokens and client-credentials tokens, unexpired and unrevoked).
 */
export function accessTokenVerifier(
  provider: Pick<Provider, 'AccessToken' | 'ClientCredentials'>,
  issuer: string,
  jwks: JWK[],
  clock: Clock,
): AccessTokenVerifier {
  const keys = createLocalJWKSet({ keys: publicJwks(jwks) });
  return {
    async verify(token) {
      if (isJws(token)) {
        try {
          const { payload } = await jwtVerify(token, keys, { issuer, typ: 'at+jwt', currentDate: clock.now() });
          const { sub, client_id: clientId } = payload as { sub?: unknown; client_id?: unknown };
          if (typeof sub !== 'string' || typeof clientId !== 'string') return null;
          return {
            sub,
            clientId,
            scopes: scopesOf(payload.scope),
            expiresAt: payload.exp ? new Date(payload.exp * 1000) : null,
            act: actClaimOf(payload.act),
          };
        } catch {
          return null;
        }
      }
      const found = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
      if (!found || found.isExpired) return null;
      const accountId = 'accountId' in found && typeof found.accountId === 'string' ? found.accountId : undefined;
      return {
        sub: accountId ?? found.clientId!,
        clientId: found.clientId!,
        scopes: scopesOf(found.scope),
        expiresAt: typeof found.exp === 'number' ? new Date(found.exp * 1000) : null,
        act: actClaimOf((found.extra as Record<string, unknown> | undefined)?.act),
      };
    },
  };
}
