import { ApiError } from '@platform/runtime';
import type { ClientRegistrations } from './client-registrations.service';
import { DEFAULT_REGISTRATION_SCOPE } from './client-registrations.service';

/** The registration policy every initial access token we issue carries (and the registration access tokens after it). */
export const TENANT_REGISTRATION_POLICY = 'tenant-registration';

interface ProviderErrors {
  InvalidClientMetadata: new (description: string) => Error;
  InvalidToken: new (description: string) => Error;
}

interface RegistrationContext {
  oidc?: {
    route?: string;
    entities?: { InitialAccessToken?: { jti: string } };
    client?: { clientSecret?: string };
  };
  body?: unknown;
}

/**
 * oidc-provider's `features.registration` / `registrationManagement` (RFC 7591/7592), on only with
 * DYNAMIC_CLIENT_REGISTRATION: every registration needs an initial access token an admin issued
 * (bound to a tenant, see InitialAccessTokensService); the registration access token rotates on
 * every update.
 */
export function registrationFeatures(enabled: boolean) {
  return {
    registration: {
      enabled,
      initialAccessToken: true,
      issueRegistrationAccessToken: true,
      policies: {
        // Runs before the provider builds the client: a registration that names no scope gets the
        // sign-in default (a client without one could ask for none, oidc/known-scopes.ts).
        [TENANT_REGISTRATION_POLICY]: (_ctx: unknown, properties: Record<string, unknown>) => {
          if (properties.scope === undefined || properties.scope === '') properties.scope = DEFAULT_REGISTRATION_SCOPE;
        },
      },
    },
    registrationManagement: { enabled, rotateRegistrationAccessToken: true },
  };
}

/**
 * What the ClientAdapter's upsert/destroy delegate to: the registrations service, with the
 * request's initial access token (from the provider's request context) and our 4xx errors turned
 * into the provider's RFC 7591 ones (invalid_client_metadata, invalid_token).
 */
export function registrationStore(
  registrations: ClientRegistrations,
  currentContext: () => RegistrationContext | undefined,
  errors: ProviderErrors,
) {
  const asProviderError = (error: unknown): never => {
    if (error instanceof ApiError && error.status === 401) throw new errors.InvalidToken(error.message);
    if (error instanceof ApiError && error.status < 500) throw new errors.InvalidClientMetadata(error.message);
    throw error;
  };
  return {
    upsert: (clientId: string, metadata: Record<string, unknown>) =>
      registrations
        .upsert(clientId, metadata, { initialAccessToken: currentContext()?.oidc?.entities?.InitialAccessToken?.jti })
        .catch(asProviderError),
    destroy: (clientId: string) => registrations.destroy(clientId).catch(asProviderError),
  };
}

/**
 * RFC 7592 read and update answers hold the client's `client_secret` as the provider knows it,
 * which for us is its SHA-256 hash: never sent out (a secret is shown once, at registration).
 */
export function withoutStoredSecret(ctx: RegistrationContext): void {
  const route = ctx.oidc?.route;
  if (route !== 'client' && route !== 'client_update') return;
  const body = ctx.body as { client_secret?: unknown } | undefined;
  if (body && typeof body === 'object' && body.client_secret === ctx.oidc?.client?.clientSecret) {
    delete body.client_secret;
    delete (body as { client_secret_expires_at?: unknown }).client_secret_expires_at;
  }
}
