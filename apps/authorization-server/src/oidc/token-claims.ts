import type { Configuration } from 'oidc-provider';
import type { AuthorizationServerConfig } from '../config';
import { sessionClaims } from '../me/session-claims';
import type { ImpersonationTokens } from '../impersonation/impersonation-tokens';
import type { ResourceServers } from '../resource-servers/resource-servers';
import { tokenAuthority } from '../resource-servers/scope-permissions';
import type { Account } from './accounts';
import type { ExtraClientMetadata } from './client-metadata';
import { delegationOf } from './grants/delegation';
import type { ClientTenants } from './client-tenants';

type ExtraTokenClaims = NonNullable<Configuration['extraTokenClaims']>;

/**
 * What access tokens carry beyond the provider's own claims: a user's token its tenant, plus
 * (for resource servers that ask for them) only the user's permissions that the granted scopes
 * map to (DESIGN §2); a tenant's client token its tenant (RFC 9068), so resource servers can
 * scope it. A token of an impersonated session names the administrator in `act` (RFC 8693 §4.1).
 */
export function extraTokenClaims(
  resourceServers: Pick<ResourceServers, 'find'>,
  clientTenants: Pick<ClientTenants, 'of'>,
  impersonation?: Pick<ImpersonationTokens, 'claims'>,
): ExtraTokenClaims {
  return async (ctx, token) => {
    const account = ctx.oidc.account as Account | undefined;
    if (account && 'accountId' in token && token.accountId) {
      const server = token.aud ? await resourceServers.find(String(token.aud)) : undefined;
      const sessionUid = 'sessionUid' in token ? token.sessionUid : undefined;
      return {
        tenant_id: account.profile.tenant_id,
        ...tokenAuthority(server, account.profile, token.scope),
        ...sessionClaims(ctx, token),
        ...(impersonation ? await impersonation.claims(sessionUid) : {}),
      };
    }
    const clientId = ctx.oidc.client?.clientId;
    const tenantId = clientId ? await clientTenants.of(clientId) : null;
    // A token exchange with an actor (grants/token-exchange.grant.ts): who acts, RFC 8693 §4.1.
    const act = delegationOf(token);
    return tenantId || act ? { ...(tenantId ? { tenant_id: tenantId } : {}), ...(act ? { act } : {}) } : undefined;
  };
}

/** Token, session and interaction lifetimes. */
export function tokenLifetimes(config: AuthorizationServerConfig): NonNullable<Configuration['ttl']> {
  return {
    // The shortest of the client's and the resource server's lifetimes, else the default.
    ClientCredentials: (_ctx, token, client) => accessTokenTtl(config, client, token.resourceServer?.accessTokenTTL),
    AccessToken: (_ctx, token, client) => accessTokenTtl(config, client, token.resourceServer?.accessTokenTTL),
    RefreshToken: (_ctx, _token, client) =>
      (client as ExtraClientMetadata | undefined)?.refresh_token_ttl ?? config.REFRESH_TOKEN_TTL_SECONDS,
    IdToken: config.ACCESS_TOKEN_TTL_SECONDS,
    // Time to finish signing in on the hosted pages.
    Interaction: 600,
    Grant: config.REFRESH_TOKEN_TTL_SECONDS,
    Session: config.SESSION_TTL_SECONDS,
  };
}

export function accessTokenTtl(
  config: Pick<AuthorizationServerConfig, 'ACCESS_TOKEN_TTL_SECONDS'>,
  client: unknown,
  resourceServerTtl?: number,
): number {
  const lifetimes = [(client as ExtraClientMetadata | undefined)?.access_token_ttl, resourceServerTtl].filter(
    (ttl): ttl is number => typeof ttl === 'number',
  );
  return lifetimes.length ? Math.min(...lifetimes) : config.ACCESS_TOKEN_TTL_SECONDS;
}
