import type { Provider } from '@nestjs/common';
import { HttpIdentityInternalClient } from '@platform/contracts';
import { Clock } from '@platform/runtime';
import type { AuthorizationServerConfig } from '../config';
import { SigningKeys } from '../keys/signing-keys.service';
import { IDENTITY_CLIENT } from '../tokens';
import { ServiceTokens } from './service-tokens';

/** The typed client of the identity backend's internal API, authenticated with our own service tokens. */
export const identityClientProviders = (config: AuthorizationServerConfig): Provider[] => [
  {
    provide: ServiceTokens,
    inject: [SigningKeys, Clock],
    useFactory: (keys: SigningKeys, clock: Clock) =>
      new ServiceTokens({
        issuer: config.ISSUER,
        audience: config.IDENTITY_API_AUDIENCE,
        activeKey: async () => (await keys.privateJwks())[0]!,
        clock,
      }),
  },
  {
    provide: IDENTITY_CLIENT,
    inject: [ServiceTokens],
    useFactory: (tokens: ServiceTokens) =>
      new HttpIdentityInternalClient({
        baseUrl: config.IDENTITY_BACKEND_URL,
        token: () => tokens.token(),
        timeoutMs: config.IDENTITY_BACKEND_TIMEOUT_MS,
        credentialTimeoutMs: config.IDENTITY_BACKEND_CREDENTIAL_TIMEOUT_MS,
      }),
  },
];
