/**
 * Baseline for the benchmark: a bare node-oidc-provider (in-memory adapter, one static
 * client, one ES256 key, JWT access tokens for one resource, opaque ones for another,
 * introspection, rotating refresh tokens) on 127.0.0.1:$PORT. Prints `ready <json>` with
 * REFRESH_TOKENS refresh tokens of one account, minted in memory (no browser, no password).
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

async function main(): Promise<void> {
  const { default: Provider } = await import('oidc-provider');
  const port = Number(process.env.PORT);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'bench',
        client_secret: process.env.CLIENT_SECRET!,
        grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: ['https://bench.example/cb'],
        scope: 'openid offline_access api.read o.read',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] },
    scopes: ['openid', 'offline_access', 'api.read', 'o.read'],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    rotateRefreshToken: () => true,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:bench-api',
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) =>
          resource === 'urn:bench:opaque-api'
            ? { scope: 'o.read', audience: resource, accessTokenTTL: 900, accessTokenFormat: 'opaque' }
            : {
                scope: 'api.read',
                audience: 'urn:bench-api',
                accessTokenTTL: 900,
                accessTokenFormat: 'jwt',
                jwt: { sign: { alg: 'ES256' } },
              },
      },
    },
  });
  // Refresh tokens for userinfo (no resource), as the benchmark's real-user chains on our side.
  const client = await provider.Client.find('bench');
  const refreshTokens: string[] = [];
  for (let i = 0; i < Number(process.env.REFRESH_TOKENS ?? 0); i++) {
    const grant = new provider.Grant({ accountId: 'bench-user', clientId: 'bench' });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const token = new provider.RefreshToken({
      accountId: 'bench-user',
      client: client!,
      grantId,
      scope: 'openid offline_access',
      gty: 'authorization_code',
      authTime: Math.floor(Date.now() / 1000),
    });
    refreshTokens.push(await token.save());
  }
  // A normal exit on SIGTERM, so that a CPU profile (node --cpu-prof) gets written.
  process.once('SIGTERM', () => process.exit(0));
  createServer(provider.callback()).listen(port, '127.0.0.1', () =>
    process.stdout.write(`ready ${JSON.stringify({ refreshTokens })}\n`),
  );
}

void main();
