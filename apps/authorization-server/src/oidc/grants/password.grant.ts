import { type IdentityInternalClient, IdentityInternalError, type VerifiedCredentials } from '@platform/contracts';
import { type Clock, SystemClock } from '@platform/runtime';
import type Provider from 'oidc-provider';
import type { errors as OidcErrors, TokenEndpointGrantContext } from 'oidc-provider';
import type { AuthorizationServerConfig } from '../../config';
import type { Account } from '../accounts';
import type { ClientTenants } from '../client-tenants';
import type { GrantHelpers } from './grant-helpers';

export const PASSWORD_PARAMETERS = ['username', 'password', 'scope', 'resource'];

/** One description for every credential failure: unknown user, wrong password, locked, throttled, unknown tenant. */
export const INVALID_CREDENTIALS = 'invalid username or password';
export const MFA_REQUIRED = 'multi-factor authentication required; use the authorization code flow';

type Params = { username?: string; password?: string; scope?: string; resource?: string | string[] };

export interface PasswordGrantDeps {
  config: Pick<AuthorizationServerConfig, 'DEFAULT_LOGIN_TENANT'>;
  identity: IdentityInternalClient;
  clientTenants: ClientTenants;
  /** The provider's own findAccount (claims from the backend; undefined for gone users). */
  findAccount(ctx: unknown, sub: string): Promise<Account | undefined>;
  unavailable(message: string): Error;
  /** The refresh token's auth_time; the system clock unless a spec sets one. */
  clock?: Clock;
}

/**
 * Resource owner password credentials (RFC 6749 §4.3), for the confidential clients that
 * registered the `password` grant (the provider refuses it to every other client before
 * this runs). The identity backend checks the password (its lockout and throttling apply);
 * a user with a second factor is sent to the authorization code flow. Tokens are the
 * provider's own models under a new grant, so refresh, revocation, introspection, the
 * lifecycle consumer and the token claims work on them as on any sign-in.
 */
export function passwordGrant(
  provider: Provider,
  errors: typeof OidcErrors,
  helpers: GrantHelpers,
  deps: PasswordGrantDeps,
) {
  const refuse = (description: string) => new errors.CustomOIDCProviderError('invalid_grant', description);
  const clock = deps.clock ?? new SystemClock();

  async function verify(ctx: TokenEndpointGrantContext<Params>, login: string, password: string) {
    const tenant = (await deps.clientTenants.of(ctx.oidc.client.clientId)) ?? deps.config.DEFAULT_LOGIN_TENANT;
    let verified: VerifiedCredentials;
    try {
      verified = await deps.identity.verifyCredentials({ tenant, login, password, clientIp: ctx.ip });
    } catch (error) {
      if (error instanceof IdentityInternalError && error.failure !== 'unavailable') throw refuse(INVALID_CREDENTIALS);
      throw deps.unavailable('the user directory is temporarily unavailable; try again shortly');
    }
    if (verified.mfaRequired) throw refuse(MFA_REQUIRED);
    return verified;
  }

  return async function passwordHandler(ctx: TokenEndpointGrantContext<Params>): Promise<void> {
    const { client, params } = ctx.oidc;
    const login = typeof params.username === 'string' ? params.username.trim() : '';
    const password = typeof params.password === 'string' ? params.password : '';
    if (!login || !password) throw new errors.InvalidRequest("missing required parameter(s) 'username', 'password'");

    const dPoP = await helpers.validateDpop(provider, ctx);
    const servers = await helpers.resolveRequestedResources(provider, ctx);
    if (servers.length > 1) {
      throw new errors.InvalidTarget('only a single resource indicator value is supported for this grant type');
    }
    const [server] = servers;
    const requested = helpers.validateClientScope(provider, ctx);

    const verified = await verify(ctx, login, password);
    const account = await deps.findAccount(ctx, verified.userId);
    if (!account) throw refuse(INVALID_CREDENTIALS);
    ctx.oidc.entity('Account', account);

    const grant = new provider.Grant({ accountId: account.accountId, clientId: client.clientId });
    const oidcScopes = [...ctx.oidc.requestParamOIDCScopes];
    grant.addOIDCScope(oidcScopes.join(' '));
    const resourceScopes = server ? [...requested].filter((scope) => server.scopes.has(scope)) : [];
    if (server && resourceScopes.length) grant.addResourceScope(server.identifier(), resourceScopes.join(' '));
    const grantId = await grant.save();
    ctx.oidc.entity('Grant', grant);

    const at = new provider.AccessToken({ accountId: account.accountId, client, grantId, gty: 'password' });
    if (server) {
      at.resourceServer = server;
      at.scope = grant.getResourceScopeFiltered(server.identifier(), resourceScopes) || undefined;
    } else {
      at.scope = grant.getOIDCScopeFiltered(new Set(oidcScopes)) || undefined;
    }
    await helpers.applyDpopBinding(provider, ctx, dPoP, at);
    helpers.checkDpopRequired(provider, ctx, dPoP);
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    let refreshToken: string | undefined;
    if (client.grantTypeAllowed('refresh_token') && requested.has('offline_access')) {
      const rt = new provider.RefreshToken({
        accountId: account.accountId,
        client,
        grantId,
        gty: 'password',
        scope: [...new Set([...oidcScopes, ...resourceScopes])].join(' '),
        ...(server ? { resource: server.identifier() } : {}),
        amr: verified.amr,
        authTime: Math.floor(clock.nowMs() / 1000),
        rotations: 0,
      });
      await helpers.applyRefreshTokenBindings(provider, ctx, at, rt);
      ctx.oidc.entity('RefreshToken', rt);
      refreshToken = await rt.save();
    }

    ctx.body = {
      access_token: accessToken,
      token_type: at.tokenType,
      expires_in: (at as unknown as { expiration: number }).expiration,
      ...(at.scope ? { scope: at.scope } : {}),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  };
}
