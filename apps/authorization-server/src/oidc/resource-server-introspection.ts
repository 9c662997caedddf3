import { Logger } from '@nestjs/common';
import { createLocalJWKSet, decodeProtectedHeader, type JWK, type JWTPayload, jwtVerify } from 'jose';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import type { ResourceServers } from '../resource-servers/resource-servers';

const log = new Logger('Introspection');

/** The parts of a provider token the introspection and revocation policies read. */
interface PolicyToken {
  kind: string;
  clientId?: string;
  aud?: string | string[];
}

const audiences = (aud: unknown): string[] =>
  (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');

/**
 * RFC 7662 §2.1 / §4: who may introspect a token. Its own client, always; and the introspection
 * client an API (resource server) designated, for the access tokens whose audience is that API.
 * Refresh tokens stay their client's own business.
 */
export function introspectionPolicy(resourceServers: Pick<ResourceServers, 'find'>) {
  const designatedFor = async (callerId: string, aud: unknown): Promise<boolean> => {
    for (const audience of audiences(aud)) {
      if ((await resourceServers.find(audience))?.introspectionClientId === callerId) return true;
    }
    return false;
  };
  return {
    designatedFor,
    allowed: async (_ctx: unknown, client: { clientId: string }, token: PolicyToken): Promise<boolean> =>
      token.clientId === client.clientId ||
      (token.kind !== 'RefreshToken' && (await designatedFor(client.clientId, token.aud))),
  };
}

/** Only the public members of the provider's signing keys: what a verifier needs. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
export const publicJwks = (keys: JWK[]): JWK[] =>
  keys.map((key) =>
    Object.fromEntries(Object.entries(key).filter(([name]) => !(PRIVATE_MEMBERS as readonly string[]).includes(name))),
  );

export interface JwtIntrospectionDeps {
  issuer: string;
  jwks: JWK[];
  dataSource: DataSource;
  resourceServers: Pick<ResourceServers, 'find'>;
}

interface AccessTokenClaims extends JWTPayload {
  client_id?: string;
  scope?: string;
  cnf?: { jkt?: string; 'x5t#S256'?: string };
}

/**
 * The provider answers `unsupported_token_type` for the JWT access tokens it issued itself (they
 * are not stored). This middleware answers instead, once the provider has authenticated the caller:
 * introspection validates the JWT against this server's keys and checks that the grant it was
 * issued under still stands (a user's tokens) or that its client still exists (client credentials);
 * revocation by the token's own client revokes that grant, with its refresh tokens (RFC 7009 §2.1).
 */
export function jwtAccessTokenIntrospection(deps: JwtIntrospectionDeps) {
  const keys = createLocalJWKSet({ keys: publicJwks(deps.jwks) });
  const grants = new UserGrants(deps.dataSource);
  const policy = introspectionPolicy(deps.resourceServers);

  async function verified(token: string): Promise<AccessTokenClaims | null> {
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(token, keys, { issuer: deps.issuer, typ: 'at+jwt' });
      return typeof payload.client_id === 'string' && typeof payload.sub === 'string' ? payload : null;
    } catch {
      return null;
    }
  }

  return async function introspectJwtAccessTokens(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
    await next();
    const oidc = ctx.oidc as KoaContextWithOIDC['oidc'] | undefined;
    const route = oidc?.route;
    if ((route !== 'introspection' && route !== 'revocation') || !oidc?.client) return;
    const body = ctx.body as { error?: unknown } | undefined;
    const token = oidc.params?.token;
    if (ctx.status !== 400 || body?.error !== 'unsupported_token_type' || typeof token !== 'string') return;
    if (!isJws(token)) return;
    try {
      const caller = oidc.client.clientId;
      const claims = await verified(token);
      const isUserToken = claims !== null && claims.sub !== claims.client_id;
      if (route === 'introspection') {
        const live =
          claims !== null &&
          (claims.client_id === caller || (await policy.designatedFor(caller, claims.aud))) &&
          (isUserToken ? await grants.stands(claims) : Boolean(await oidc.provider.Client.find(claims.client_id!)));
        answer(ctx, live ? introspectionResponse(claims) : { active: false });
        return;
      }
      // Revocation: a token that is not valid, or not the caller's, is answered 200 and left alone (RFC 7009 §2.2).
      if (claims === null || claims.client_id !== caller) return answer(ctx, undefined);
      if (!isUserToken) return; // a client-credentials JWT has no grant to revoke: unsupported_token_type stands
      for (const grantId of await grants.of(claims)) {
        await oidc.provider.Grant.adapter.revokeByGrantId(grantId);
        await oidc.provider.Grant.adapter.destroy(grantId);
        oidc.provider.emit('grant.revoked', ctx, grantId);
      }
      answer(ctx, undefined);
    } catch (error) {
      log.error(`JWT ${route} failed: ${(error as Error).message}`);
      ctx.status = 503;
      ctx.body = { error: 'temporarily_unavailable', error_description: 'try again shortly' };
    }
  };
}

function answer(ctx: KoaContextWithOIDC, body: object | undefined): void {
  ctx.status = 200;
  ctx.body = body ?? '';
  if (!body) ctx.remove('content-type');
}

const isJws = (token: string): boolean => {
  try {
    return token.split('.').length === 3 && Boolean(decodeProtectedHeader(token).alg);
  } catch {
    return false;
  }
};

/** RFC 7662 §2.2, from the claims of a verified RFC 9068 access token. */
export function introspectionResponse(claims: AccessTokenClaims): Record<string, unknown> {
  return {
    ...claims,
    active: true,
    token_type: claims.cnf?.jkt ? 'DPoP' : 'Bearer',
  };
}

/**
 * The grants a user's JWT access token can have been issued under: the account's grants to that
 * client that already existed when the token was issued (a later sign-in's grant is not its grant)
 * and are still live. JWT access tokens do not name their grant, so this is the finest check there is.
 */
export class UserGrants {
  constructor(private readonly dataSource: DataSource) {}

  async of(claims: AccessTokenClaims): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM oidc_model_instances
        WHERE model = 'Grant' AND payload->>'accountId' = $1 AND payload->>'clientId' = $2
          AND (payload->>'iat')::bigint <= $3 AND (expires_at IS NULL OR expires_at > now())`,
      [claims.sub, claims.client_id, claims.iat ?? 0],
    );
    return rows.map((row) => row.id);
  }

  async stands(claims: AccessTokenClaims): Promise<boolean> {
    return (await this.of(claims)).length > 0;
  }
}
