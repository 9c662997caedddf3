import { Logger } from '@nestjs/common';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { looksLikeApiKey } from '../../api-keys/api-key-format';
import { apiKeyIntrospection, type ApiKeyVerifier } from '../../api-keys/api-key-verifier';

const log = new Logger('ApiKeyIntrospection');

/**
 * Provider middleware answering RFC 7662 introspection of API keys. The provider runs its
 * own introspection first — client authentication (every method it supports), parameter
 * checks, its token look-up — and answers `active: false` for a string it does not know;
 * only then, for a caller it authenticated and a key-shaped token, is the key looked up.
 */
export function apiKeyIntrospectionMiddleware(apiKeys: ApiKeyVerifier, issuer: string) {
  return async function introspectApiKeys(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    if (oidc?.route !== 'introspection' || ctx.status !== 200 || !oidc.client) return;
    const body = ctx.body as { active?: unknown } | undefined;
    const token = oidc.params?.token;
    if (body?.active !== false || !looksLikeApiKey(token)) return;
    try {
      const key = await apiKeys.verify(token, oidc.client.clientId);
      if (key) ctx.body = apiKeyIntrospection(key, issuer);
    } catch (error) {
      log.error(`API key introspection failed: ${(error as Error).message}`);
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: 'try again shortly' };
    }
  };
}

/**
 * RFC 6749 §5.2: a client using a grant type it did not register gets `unauthorized_client`
 * (the provider says `invalid_request`). Once the password grant exists, that is what a
 * client that did not opt in to it receives.
 */
export async function unauthorizedClientError(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
  if (
    (ctx.oidc as KoaContextWithOIDC['oidc'] | undefined)?.route === 'token' &&
    ctx.status === 400 &&
    body?.error === 'invalid_request' &&
    body.error_description === 'requested grant type is not allowed for this client'
  ) {
    ctx.body = { ...body, error: 'unauthorized_client' };
  }
}
