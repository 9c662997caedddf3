import { SystemClock } from '@platform/runtime';
import type Provider from 'oidc-provider';
import type { accountFinder } from '../accounts';
import type { OidcProviderDeps } from '../oidc-provider.factory';
import { accessTokenVerifier } from './access-token-verifier';
import { apiKeyIntrospectionMiddleware, unauthorizedClientError } from './api-key-introspection';
import { loadGrantHelpers } from './grant-helpers';
import { PASSWORD_PARAMETERS, passwordGrant } from './password.grant';
import {
  TOKEN_EXCHANGE_DUPLICATES,
  TOKEN_EXCHANGE_GRANT,
  TOKEN_EXCHANGE_PARAMETERS,
  tokenExchangeGrant,
} from './token-exchange.grant';

export { API_KEY_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './token-exchange.grant';

export type CustomGrantDeps = Pick<
  OidcProviderDeps,
  'config' | 'identity' | 'clientTenants' | 'apiKeys' | 'jwks' | 'clock'
>;

/** What the provider's own configuration already built: the account look-up and the 503 error. */
export interface ProviderParts {
  findAccount: ReturnType<typeof accountFinder>;
  unavailable: (message: string) => Error;
}

/**
 * What this server adds to oidc-provider's grants: the opt-in resource owner password grant,
 * RFC 8693 exchange of API keys for access tokens, and API keys at the introspection endpoint.
 * Called on every provider instance right after it is built (before any client is loaded, so
 * client registrations naming these grant types validate).
 */
export async function registerCustomGrants(
  provider: Provider,
  deps: CustomGrantDeps,
  { findAccount, unavailable }: ProviderParts,
): Promise<void> {
  const { errors } = await import('oidc-provider');
  const helpers = await loadGrantHelpers();
  const { apiKeys } = deps;
  const clock = deps.clock ?? new SystemClock();

  provider.registerGrantType(
    'password',
    passwordGrant(provider, errors, helpers, {
      config: deps.config,
      identity: deps.identity,
      clientTenants: deps.clientTenants,
      findAccount,
      unavailable,
      clock,
    }),
    PASSWORD_PARAMETERS,
  );
  provider.registerGrantType(
    TOKEN_EXCHANGE_GRANT,
    tokenExchangeGrant(
      provider,
      errors,
      helpers,
      apiKeys,
      accessTokenVerifier(provider, deps.config.ISSUER, deps.jwks, clock),
      clock,
    ),
    TOKEN_EXCHANGE_PARAMETERS,
    TOKEN_EXCHANGE_DUPLICATES,
  );
  provider.use(apiKeyIntrospectionMiddleware(apiKeys, deps.config.ISSUER));
  provider.use(unauthorizedClientError);
}
