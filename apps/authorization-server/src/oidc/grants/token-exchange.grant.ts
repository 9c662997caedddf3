import type Provider from 'oidc-provider';
import type { errors as OidcErrors, TokenEndpointGrantContext } from 'oidc-provider';
import type { Clock } from '@platform/runtime';
import type { ApiKeyVerifier } from '../../api-keys/api-key-verifier';
import type { AccessTokenVerifier } from './access-token-verifier';
import { type ActClaim, delegate } from './delegation';
import type { GrantHelpers } from './grant-helpers';

export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3 lets a server define its own token type URIs; this one names our API keys. */
export const API_KEY_TOKEN_TYPE = 'urn:identity-platform:token-type:api-key';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** This server's access tokens, by either name RFC 8693 §3 gives them (ours are JWTs or opaque). */
const ACCESS_TOKEN_TYPES = new Set([ACCESS_TOKEN_TYPE, 'urn:ietf:params:oauth:token-type:jwt']);

export const TOKEN_EXCHANGE_PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'audience',
  'resource',
  'scope',
];
export const TOKEN_EXCHANGE_DUPLICATES = ['audience', 'resource'];

type Params = {
  subject_token?: string;
  subject_token_type?: string;
  actor_token?: string;
  actor_token_type?: string;
  requested_token_type?: string;
  audience?: string | string[];
  resource?: string | string[];
  scope?: string;
};

/** What a subject token allows the issued token: one API (an API key's; an access token's is the one requested), scopes, an end, prior actors. */
interface Subject {
  audience?: string;
  scopes: string[];
  expiresAt: Date | null;
  act?: ActClaim;
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * RFC 8693 token exchange for the authenticated client. The subject is an API key
 * (subject_token_type API_KEY_TOKEN_TYPE: the key's API as audience, its scopes or a subset) or the
 * client's own access token (re-scoped to another API, e.g. one handed on by a service it called);
 * the issued token never outlives the subject. Delegation (§1.1): an `actor_token` (the calling
 * client's own access token, `actor_token_type` required) names who acts, and the issued token
 * carries `act` {sub, client_id} with the subject token's own `act` nested inside (§4.1). Errors
 * as §2.2.2 says: a bad or unusable subject or actor token is invalid_request.
 */
export function tokenExchangeGrant(
  provider: Provider,
  errors: typeof OidcErrors,
  helpers: GrantHelpers,
  apiKeys: ApiKeyVerifier,
  accessTokens: AccessTokenVerifier,
  clock: Clock,
) {
  /** The actor, when the request names one: an unexpired token of the calling client that itself acts for nobody. */
  async function actorOf(params: Params, clientId: string): Promise<ActClaim | undefined> {
    if (!params.actor_token) {
      if (params.actor_token_type) throw new errors.InvalidRequest('actor_token_type given without an actor_token');
      return undefined;
    }
    if (!params.actor_token_type) throw new errors.InvalidRequest("missing required parameter 'actor_token_type'");
    if (!ACCESS_TOKEN_TYPES.has(params.actor_token_type)) {
      throw new errors.InvalidRequest(`unsupported actor_token_type; this server accepts ${ACCESS_TOKEN_TYPE}`);
    }
    const actor = await accessTokens.verify(params.actor_token);
    if (!actor) throw new errors.InvalidRequest('actor_token is invalid, expired or revoked');
    // Who authenticated at this endpoint is who acts: another client's token would let a caller name someone else.
    if (actor.clientId !== clientId)
      throw new errors.InvalidRequest('actor_token was not issued to the calling client');
    // An actor that already acts for someone (an impersonated session) would hide that someone: refused.
    if (actor.act) throw new errors.InvalidRequest('actor_token itself acts on behalf of another party');
    return { sub: actor.sub, client_id: actor.clientId };
  }

  async function subjectOf(params: Params, clientId: string): Promise<Subject> {
    const token = params.subject_token!;
    if (params.subject_token_type === API_KEY_TOKEN_TYPE) {
      const key = await apiKeys.verify(token, clientId);
      if (!key) throw new errors.InvalidRequest('subject_token is invalid, expired or revoked');
      return { audience: key.audience, scopes: key.scopes, expiresAt: key.expiresAt };
    }
    const subject = await accessTokens.verify(token);
    if (!subject) throw new errors.InvalidRequest('subject_token is invalid, expired or revoked');
    // A client re-scopes its own token; a user's token is not exchanged here (it would need the user's grant).
    if (subject.clientId !== clientId || subject.sub !== subject.clientId) {
      throw new errors.InvalidRequest("subject_token must be the calling client's own access token");
    }
    return { scopes: subject.scopes, expiresAt: subject.expiresAt, act: subject.act };
  }

  return async function tokenExchangeHandler(ctx: TokenEndpointGrantContext<Params>): Promise<void> {
    const { client, params } = ctx.oidc;
    if (!params.subject_token || !params.subject_token_type) {
      throw new errors.InvalidRequest("missing required parameter(s) 'subject_token', 'subject_token_type'");
    }
    if (params.subject_token_type !== API_KEY_TOKEN_TYPE && !ACCESS_TOKEN_TYPES.has(params.subject_token_type)) {
      throw new errors.InvalidRequest(
        `unsupported subject_token_type; this server exchanges ${API_KEY_TOKEN_TYPE} and ${ACCESS_TOKEN_TYPE}`,
      );
    }
    if (params.requested_token_type && !ACCESS_TOKEN_TYPES.has(params.requested_token_type)) {
      throw new errors.InvalidRequest(`unsupported requested_token_type; this server issues ${ACCESS_TOKEN_TYPE}`);
    }
    const actor = await actorOf(params, client.clientId);
    const dPoP = await helpers.validateDpop(provider, ctx);
    const subject = await subjectOf(params, client.clientId);

    const targets = [...new Set([...list(params.resource), ...list(params.audience)])];
    const audience = subject.audience ?? targets[0];
    if (!audience || targets.some((target) => target !== audience)) {
      throw new errors.InvalidTarget(
        subject.audience
          ? 'the API key is not valid for the requested resource or audience'
          : 'name exactly one API (resource or audience) to exchange the token for',
      );
    }
    (params as Params).resource = audience;
    const [server] = await helpers.resolveRequestedResources(provider, ctx);
    if (!server) throw new errors.InvalidTarget('the token is not valid for the requested resource or audience');

    const requested = params.scope ? params.scope.split(' ').filter(Boolean) : subject.scopes;
    const beyond = requested.filter((scope) => !subject.scopes.includes(scope));
    if (beyond.length) throw new errors.InvalidScope('requested scope exceeds the subject token', beyond.join(' '));
    // The exchanging client's own registration limits it too.
    helpers.validateClientScope(provider, ctx, new Set(requested));
    const granted = requested.filter((scope) => server.scopes.has(scope));

    const token = new provider.ClientCredentials({ client, scope: granted.join(' ') || undefined });
    token.resourceServer = server;
    const lifetime = token as unknown as { expiration: number; expiresIn: number };
    if (subject.expiresAt) {
      const left = Math.floor((subject.expiresAt.getTime() - clock.now().getTime()) / 1000);
      if (left < lifetime.expiration) lifetime.expiresIn = Math.max(left, 1);
    }
    // RFC 8693 §4.1: the new actor, with whoever acted on the subject before nested inside.
    const act = actor ? { ...actor, ...(subject.act ? { act: subject.act } : {}) } : subject.act;
    if (act) delegate(token, act);
    await helpers.applyDpopBinding(provider, ctx, dPoP, token);
    helpers.checkDpopRequired(provider, ctx, dPoP);

    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: token.tokenType,
      expires_in: lifetime.expiration,
      ...(token.scope ? { scope: token.scope } : {}),
    };
  };
}
