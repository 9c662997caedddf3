import type Provider from 'oidc-provider';
import type { errors as OidcErrors, TokenEndpointGrantContext } from 'oidc-provider';
import type { ApiKeyVerifier } from '../../api-keys/api-key-verifier';
import type { GrantHelpers } from './grant-helpers';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3 lets a server define its own token type URIs; this one names our API keys. */
export const API_KEY_TOKEN_TYPE = 'urn:identity-platform:token-type:api-key';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const ISSUABLE_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt']);

export const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
];
export const TOKEN_EXCHANGE_DUPLICATES = ['audience', 'resource'];

type Params = {
  subject_token?: string;
  subject_token_type?: string;
  requested_token_type?: string;
  audience?: string | string[];
  resource?: string | string[];
  scope?: string;
};

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * RFC 8693 token exchange of an API key (subject_token_type API_KEY_TOKEN_TYPE) for a
 * short-lived access token of the authenticated client: the key's resource server as
 * audience, the key's scopes or a requested subset of them, never outliving the key.
 * Errors as RFC 8693 §2.2.2 says: a bad or unusable subject token is invalid_request.
 */
export function tokenExchangeGrant(
  provider: Provider,
  errors: typeof OidcErrors,
  helpers: GrantHelpers,
  apiKeys: ApiKeyVerifier,
) {
  return async function tokenExchangeHandler(ctx: TokenEndpointGrantContext<Params>): Promise<void> {
    const { client, params } = ctx.oidc;
    if (!params.subject_token || !params.subject_token_type) {
      throw new errors.InvalidRequest("missing required parameter(s) 'subject_token', 'subject_token_type'");
    }
    if (params.subject_token_type !== API_KEY_TOKEN_TYPE) {
      throw new errors.InvalidRequest(`unsupported subject_token_type; this server exchanges ${API_KEY_TOKEN_TYPE}`);
    }
    if (params.requested_token_type && !ISSUABLE_TOKEN_TYPES.has(params.requested_token_type)) {
      throw new errors.InvalidRequest(`unsupported requested_token_type; this server issues ${ACCESS_TOKEN_TYPE}`);
    }
    const dPoP = await helpers.validateDpop(provider, ctx);

    const key = await apiKeys.verify(params.subject_token, client.clientId);
    if (!key) throw new errors.InvalidRequest('subject_token is invalid, expired or revoked');

    const targets = [...list(params.resource), ...list(params.audience)];
    if (targets.some((target) => target !== key.audience)) {
      throw new errors.InvalidTarget('the API key is not valid for the requested resource or audience');
    }
    (params as Params).resource = key.audience;
    const [server] = await helpers.resolveRequestedResources(provider, ctx);
    if (!server) throw new errors.InvalidTarget('the API key is not valid for the requested resource or audience');

    const requested = params.scope ? params.scope.split(' ').filter(Boolean) : key.scopes;
    const beyond = requested.filter((scope) => !key.scopes.includes(scope));
    if (beyond.length) throw new errors.InvalidScope('requested scope exceeds the API key', beyond.join(' '));
    // The exchanging client's own registration limits it too.
    helpers.validateClientScope(provider, ctx, new Set(requested));
    const granted = requested.filter((scope) => server.scopes.has(scope));

    const token = new provider.ClientCredentials({ client, scope: granted.join(' ') || undefined });
    token.resourceServer = server;
    if (key.expiresAt) {
      const keyLeft = Math.floor((key.expiresAt.getTime() - Date.now()) / 1000);
      if (keyLeft < (token as unknown as { expiration: number }).expiration) {
        (token as unknown as { expiresIn: number }).expiresIn = Math.max(keyLeft, 1);
      }
    }
    await helpers.applyDpopBinding(provider, ctx, dPoP, token);
    helpers.checkDpopRequired(provider, ctx, dPoP);

    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: token.tokenType,
      expires_in: (token as unknown as { expiration: number }).expiration,
      ...(token.scope ? { scope: token.scope } : {}),
    };
  };
}
