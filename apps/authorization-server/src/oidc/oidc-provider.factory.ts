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
      introspection: { enabled: true },
      revocation: { enabled: true },
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
      // RFC 9068: client tokens carry the client's tenant so resource servers can scope them.
      const tenantId = (ctx.oidc.client as unknown as { tenant_id?: string } | undefined)?.tenant_id;
      return tenantId ? { tenant_id: tenantId } : undefined;
    },
    extraClientMetadata: { properties: ['tenant_id'] },
  });
  provider.proxy = config.TRUST_PROXY;

  // Client secrets are stored as SHA-256 (they carry 256 bits of entropy): compare hashes in constant time.
  provider.Client.prototype.compareClientSecret = function compareClientSecret(
    this: { clientSecret?: string },
    actual: string,
  ) {
    const expected = Buffer.from(this.clientSecret ?? '', 'utf8');
    const presented = Buffer.from(sha256Hex(actual), 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  };
  return provider;
}
