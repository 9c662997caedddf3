import type { IdentityInternalClient } from '@platform/contracts';
import { outboundGuard } from '@platform/outbound';
import type { Clock } from '@platform/runtime';
import type { JWK } from 'jose';
import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { providerHtmlHeaders, providerPages } from '../interactions/provider-pages';
import { interactionUrl } from '../interactions/steps/interaction-page';
import type { ResourceServers } from '../resource-servers/resource-servers';
import type { CustomScopes } from '../custom-scopes/custom-scopes';
import type { SecurityEvents } from '../events/security-events';
import type { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import type { ClientTenants } from './client-tenants';
import { accountFinder, CLAIMS_BY_SCOPE } from './accounts';
import {
  allowedCorsOrigin,
  CLIENT_METADATA_VALIDATORS,
  type ExtraClientMetadata,
  pkceRequired,
  validateClientMetadata,
} from './client-metadata';
import { cacheClientInstances, oidcAdapterFactory, oidcRequestScope } from './postgres-adapter';
import { browserPostSupport, postAsGetRedirect } from './browser-post';
import { assertKnownScopes, assertScopesRegistered } from './known-scopes';
import { registerCustomGrants } from './grants';
import { grantableScopes, refusePlatformScopeForTenantClient, refuseServiceOnlyScopes } from './service-only-scopes';
import { interactionPolicyFor, loadExistingGrant } from './trusted-grants';
import { ACR_VALUES, withAcrStepUp } from './acr';
import { introspectionPolicy, jwtAccessTokenIntrospection } from './resource-server-introspection';
import type { ClientRegistrations } from '../registration/client-registrations.service';
import { registrationFeatures, registrationStore, withoutStoredSecret } from '../registration/registration-provider';
import { mtlsFeature } from './mtls';
import { OIDC_ROUTES } from './oidc-routes';
import { extraTokenClaims, tokenLifetimes } from './token-claims';
import { clientSecretComparison, previousSecretHashOf } from './client-secret';
import { listenToProviderEvents } from './provider-events';
import type { ImpersonationSessions } from '../impersonation/impersonation-sessions';
import { impersonationTokens } from '../impersonation/impersonation-tokens';
import { withImpersonationStart } from '../impersonation/impersonation-policy';

export interface OidcProviderDeps {
  config: AuthorizationServerConfig;
  dataSource: DataSource;
  jwks: JWK[];
  resourceServers: ResourceServers;
  /** Every scope clients may register: the OIDC ones plus those of the resource servers. */
  scopes: string[];
  identity: IdentityInternalClient;
  clientTenants: ClientTenants;
  /** Signing keys of the provider's cookies, the current one first. */
  cookieKeys: Buffer[];
  securityEvents: SecurityEvents;
  customScopes: CustomScopes;
  /** Dynamic client registration's store (registration/); needed with DYNAMIC_CLIENT_REGISTRATION. */
  registrations?: ClientRegistrations;
  /** API keys at introspection and in token exchange. */
  apiKeys: ApiKeyVerifier;
  /** Impersonated sessions (impersonation/): `act` in their tokens, no refresh token. */
  impersonation?: ImpersonationSessions;
  /** Time for the custom grants (expiry of what they exchange); the system clock when absent. */
  clock?: Clock;
}

/** Builds the node-oidc-provider instance (an ESM-only package, loaded through require(esm)). */
export async function createOidcProvider(deps: OidcProviderDeps) {
  const { config, dataSource, jwks, resourceServers, scopes, identity, clientTenants } = deps;
  // Fixed per provider instance: a new custom scope rebuilds the provider, like a new resource server.
  const customClaimsByScope = await deps.customScopes.claimsByScope();
  const browserPost = browserPostSupport(config.ISSUER);
  // RFC 8705: client certificates forwarded by the TLS-terminating ingress (off unless configured).
  const mtls = mtlsFeature(config);
  const knownScopes = new Set([
    'openid',
    'offline_access',
    'profile',
    'email',
    'phone',
    'address',
    'roles',
    'groups',
    ...scopes,
    ...Object.keys(customClaimsByScope),
  ]);
  const { default: Provider, errors, interactionPolicy } = await import('oidc-provider');
  const impersonation = deps.impersonation && impersonationTokens(deps.impersonation, errors);
  const introspection = introspectionPolicy(resourceServers);
  // RFC 6749 §3.3: a scope nobody defined is refused (invalid_scope), not silently dropped. Checked
  // where the provider resolves resources (/authorize, /par, /device/auth, /token), which is before
  // it filters the requested scopes down to the known ones.
  const refuseUnknownScopes = (ctx: {
    oidc: { params?: { scope?: unknown }; client?: { clientId: string; scope?: string } };
  }) => {
    assertKnownScopes(ctx.oidc.params?.scope, knownScopes, errors);
    assertScopesRegistered(ctx.oidc.params?.scope, ctx.oidc.client, errors);
  };
  const unavailable = (message: string) =>
    Object.assign(new errors.TemporarilyUnavailable(message), { status: 503, statusCode: 503, expose: true });
  const findAccount = accountFinder(
    identity,
    unavailable,
    (profile, clientId) => deps.customScopes.claimsFor(profile, clientId),
    (clientId) => clientTenants.of(clientId),
    impersonation,
  );
  const provider = new Provider(config.ISSUER, {
    adapter: oidcAdapterFactory(dataSource, (what) => new errors.InvalidGrant(`${what} already consumed`), {
      refreshTokenReuseLeewaySeconds: config.REFRESH_TOKEN_REUSE_LEEWAY_SECONDS,
      registrations: deps.registrations && registrationStore(deps.registrations, () => Provider.ctx, errors),
    }),
    jwks: { keys: jwks },
    routes: OIDC_ROUTES,
    scopes: [...knownScopes],
    claims: { ...customClaimsByScope, ...CLAIMS_BY_SCOPE },
    // OIDC Core §2 acr: a password-only and a multi-factor level (oidc/acr.ts); the hosted pages set the one reached.
    acrValues: [...ACR_VALUES],
    findAccount: findAccount,
    // RFC 9700 §2.1.2: no implicit or hybrid flows; `none` only answers with a code-less redirect.
    responseTypes: ['code', 'none'],
    // PKCE (S256 only in this provider version): always for public clients, per client (or the platform default) for confidential ones.
    pkce: { required: (_ctx, client) => pkceRequired(client, config.PKCE_REQUIRED_FOR_CONFIDENTIAL_CLIENTS) },
    // First-party clients get refresh tokens without a consent prompt; third parties keep OIDC Core §11's rule.
    // An administrator acting as a user (impersonation/) never gets one: the session ends when the impersonation does.
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || (client as ExtraClientMetadata).trusted === true) &&
      (!impersonation || (await impersonation.allowsRefresh('sessionUid' in code ? code.sessionUid : undefined))),
    // ID tokens carry the claims of the granted scopes (most RPs read them there), unless strict mode is on.
    conformIdTokenClaims: config.ID_TOKEN_STRICT_CLAIMS,
    // POST /authorize and /logout: natively on https issuers (needs SameSite=None cookies), bridged on http (see browser-post.ts).
    enableHttpPostMethods: browserPost.enableHttpPostMethods,
    // Every refresh rotates; presenting a rotated one revokes the whole grant (reuse detection).
    rotateRefreshToken: () => true,
    loadExistingGrant: loadExistingGrant,
    interactions: {
      // Where the provider sends the browser to sign in: the hosted pages (interactions/).
      url: (_ctx, interaction) => interactionUrl(interaction.uid),
      policy: withImpersonationStart(
        withAcrStepUp(interactionPolicyFor(interactionPolicy.base()), interactionPolicy.Check),
        interactionPolicy.Check,
        deps.impersonation,
      ),
    },
    // A hint naming the tenant to sign in to, for clients not bound to one tenant.
    extraParams: ['tenant'],
    cookies: {
      keys: deps.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: browserPost.sameSite },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    renderError: providerPages.renderError,
    clientBasedCORS: allowedCorsOrigin,
    // Client jwks_uri, back-channel logout, sector identifiers, request_uri: through the one outbound
    // guard (@platform/outbound), which replaces the provider's own dispatcher and refuses before connecting.
    fetch: outboundGuard(config.OUTBOUND_ALLOW_PRIVATE_NETWORK).fetch,
    // ID tokens in RS256 (OIDC's mandatory and default alg) unless the client registers another.
    clientDefaults: {
      id_token_signed_response_alg: 'RS256',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none', ...mtls.authMethods],
    enabledJWA: {
      // Asymmetric only: client secrets are stored hashed, so they cannot be HMAC keys.
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
      // Request objects signed with the client's registered keys; unsigned (none) ones are never accepted.
      requestObjectSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: providerPages.userCodeInputSource,
        userCodeConfirmSource: providerPages.userCodeConfirmSource((id) => resourceServers.find(id)),
        successSource: providerPages.successSource,
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: providerPages.logoutSource,
        postLogoutSuccessSource: providerPages.postLogoutSuccessSource,
      },
      backchannelLogout: { enabled: true },
      // Signed userinfo responses for clients that register userinfo_signed_response_alg.
      jwtUserinfo: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      // Sender-constrained tokens for clients that send DPoP proofs (required for those registered with dpop_bound_access_tokens).
      dPoP: { enabled: true },
      // Certificate-bound tokens (cnf.x5t#S256) and tls_client_auth / self_signed_tls_client_auth (oidc/mtls.ts).
      mTLS: mtls.feature,
      // OIDC Core §6 request objects (`request`), verified with the client's jwks / jwks_uri.
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      // OIDC Core §5.5: the claims parameter (essential claims, acr values).
      claimsParameter: { enabled: true },
      // RFC 7591/7592 at /reg with admin-issued, tenant-bound initial access tokens (registration/).
      ...registrationFeatures(config.DYNAMIC_CLIENT_REGISTRATION && deps.registrations !== undefined),
      // A client introspects the tokens issued to it; an API's designated introspection client those for the API
      // (RFC 7662 §2.1/§4). A client revokes only its own tokens (RFC 7009 §2.1).
      introspection: { enabled: true, allowedPolicy: introspection.allowed },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        // A machine client that names no resource gets tokens for the platform's identity API; a
        // user sign-in that names none gets a token for /userinfo (the OIDC default).
        defaultResource: (ctx, _client, oneOf) => {
          refuseUnknownScopes(ctx);
          return (
            oneOf ?? (ctx.oidc.params?.grant_type === 'client_credentials' ? config.IDENTITY_API_AUDIENCE : undefined)
          );
        },
        useGrantedResource: () => true,
        async getResourceServerInfo(ctx, resourceIndicator, client) {
          refuseUnknownScopes(ctx);
          refuseServiceOnlyScopes(ctx.oidc.params?.scope, errors);
          refusePlatformScopeForTenantClient(ctx.oidc.params?.scope, await clientTenants.of(client.clientId), errors);
          const server = await resourceServers.find(resourceIndicator);
          if (!server) throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
          return {
            scope: grantableScopes(server.scopes).join(' '),
            audience: server.identifier,
            accessTokenTTL: server.accessTokenTtl,
            accessTokenFormat: server.tokenFormat,
            // Each API's own alg (ES256 unless it chose another); that family's active key signs.
            ...(server.tokenFormat === 'jwt' ? { jwt: { sign: { alg: server.signingAlg ?? 'ES256' } } } : {}),
          };
        },
      },
    },
    ttl: tokenLifetimes(config),
    extraTokenClaims: extraTokenClaims(resourceServers, clientTenants, impersonation),
    extraClientMetadata: { properties: Object.keys(CLIENT_METADATA_VALIDATORS), validator: validateClientMetadata },
  });
  provider.proxy = config.TRUST_PROXY;
  // First, so it wraps every other middleware: per-request token look-ups, one transaction per refresh.
  provider.use(oidcRequestScope());
  provider.use(providerHtmlHeaders);
  // Records the session a start link's sign-in made an impersonation, before the code leaves (impersonation/).
  if (deps.impersonation) provider.use(deps.impersonation.middleware());
  // RFC 7592 read/update answers never carry the stored secret hash (registration/registration-provider.ts).
  provider.use(async (ctx, next) => {
    await next();
    withoutStoredSecret(ctx);
  });
  // JWT access tokens at /tokens/introspect and /tokens/revoke (the provider refuses structured tokens there).
  provider.use(jwtAccessTokenIntrospection({ issuer: config.ISSUER, jwks, dataSource, resourceServers }));
  if (!browserPost.enableHttpPostMethods) {
    provider.use(postAsGetRedirect(config.ISSUER, [OIDC_ROUTES.authorization, OIDC_ROUTES.end_session]));
  }
  // --- custom grants (oidc/grants/): password (opt-in per client), API key token exchange, API key introspection ---
  await registerCustomGrants(provider, deps, { findAccount, unavailable });
  // --- end custom grants ---
  listenToProviderEvents(provider, deps);
  provider.Client.prototype.compareClientSecret = clientSecretComparison(previousSecretHashOf(dataSource));
  cacheClientInstances(provider.Client);
  return provider;
}
