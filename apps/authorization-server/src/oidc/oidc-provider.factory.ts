import { sha256Hex } from '@platform/crypto';
import type { JWK } from 'jose';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import type { ResourceServers } from '../resource-servers/resource-servers';
import { oidcAdapterFactory } from './postgres-adapter';

/** Routes as named in seed 002; everything else of oidc-provider keeps its defaults. */
export const OIDC_ROUTES = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  introspection: '/tokens/introspect',
  revocation: '/tokens/revoke',
  end_session: '/logout',
  pushed_authorization_request: '/par',
  device_authorization: '/device/auth',
  code_verification: '/device',
} as const;

/** A client's tenant, cached briefly: it is read on every token issued. */
class ClientTenants {
  private readonly cache = new Map<string, { at: number; tenantId: string | null }>();

  constructor(private readonly dataSource: DataSource) {}

  async of(clientId: string): Promise<string | null> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < 30_000) return hit.tenantId;
    const [row] = await this.dataSource.query('SELECT tenant_id FROM oauth_clients WHERE client_id = $1', [clientId]);
    const tenantId: string | null = row?.tenant_id ?? null;
    this.cache.set(clientId, { at: Date.now(), tenantId });
    return tenantId;
  }
}

/** Paths the provider answers (everything else is Nest's). */
export function isOidcPath(path: string): boolean {
  return (
    path.startsWith('/.well-known/') ||
    Object.values(OIDC_ROUTES).some((route) => path === route || path.startsWith(`${route}/`))
  );
}

export interface OidcProviderDeps {
  config: AuthorizationServerConfig;
  dataSource: DataSource;
  jwks: JWK[];
  resourceServers: ResourceServers;
  /** Every scope clients may register: the OIDC ones plus those of the resource servers. */
  scopes: string[];
}

/** Builds the node-oidc-provider instance (an ESM-only package, loaded through require(esm)). */
export async function createOidcProvider({ config, dataSource, jwks, resourceServers, scopes }: OidcProviderDeps) {
  const clientTenants = new ClientTenants(dataSource);
  const { default: Provider, errors } = await import('oidc-provider');
  const provider = new Provider(config.ISSUER, {
    adapter: oidcAdapterFactory(dataSource) as never,
    jwks: { keys: jwks as never[] },
    routes: OIDC_ROUTES,
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone', 'address', ...scopes],
    // Our signing keys are ES256 by default; clients inherit that unless they register otherwise.
    clientDefaults: {
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: {
      // Asymmetric only: client secrets are stored hashed, so they cannot be HMAC keys.
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client may introspect or revoke only the tokens issued to it (RFC 7662 §4 / RFC 7009 §2.1).
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        // A client that names no resource gets tokens for the platform's identity API.
        defaultResource: () => config.IDENTITY_API_AUDIENCE,
        useGrantedResource: () => true,
        async getResourceServerInfo(_ctx, resourceIndicator) {
          const server = await resourceServers.find(resourceIndicator);
          if (!server) throw new errors.InvalidTarget(`unknown resource ${resourceIndicator}`);
          return {
            scope: server.scopes.join(' '),
            audience: server.identifier,
            accessTokenTTL: server.accessTokenTtl,
            accessTokenFormat: server.tokenFormat,
            ...(server.tokenFormat === 'jwt' ? { jwt: { sign: { alg: 'ES256' } } } : {}),
          };
        },
      },
    },
    ttl: {
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ACCESS_TOKEN_TTL_SECONDS,
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ACCESS_TOKEN_TTL_SECONDS,
    },
    async extraTokenClaims(ctx): Promise<Record<string, unknown> | undefined> {
      // RFC 9068: a tenant's client tokens carry its tenant so resource servers can scope them.
      const clientId = ctx.oidc.client?.clientId;
      const tenantId = clientId ? await clientTenants.of(clientId) : null;
      return tenantId ? { tenant_id: tenantId } : undefined;
    },
    extraClientMetadata: { properties: ['trusted'] },
  });
  provider.proxy = config.TRUST_PROXY;

  // Secrets are stored as SHA-256; during a rotation's overlap window the previous one works too
  // (looked up only when the current one does not match, so the hot path stays one hash).
  provider.Client.prototype.compareClientSecret = async function compareClientSecret(
    this: { clientId: string; clientSecret?: string },
    actual: string,
  ) {
    const presented = sha256Hex(actual);
    if (sameHash(this.clientSecret, presented)) return true;
    const [row] = await dataSource.query(
      'SELECT previous_secret_hash FROM oauth_clients WHERE client_id = $1 AND previous_secret_expires_at > now()',
      [this.clientId],
    );
    return sameHash(row?.previous_secret_hash?.trim(), presented);
  };
  return provider;
}

function sameHash(expected: string | undefined, presented: string): boolean {
  const a = Buffer.from(expected ?? '', 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
