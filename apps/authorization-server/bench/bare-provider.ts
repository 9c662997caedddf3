/**
 * Baseline for the benchmark: a bare node-oidc-provider (in-memory adapter, one static
 * client, one ES256 key, JWT access tokens for one resource) on 127.0.0.1:$PORT.
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
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: 'api.read',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'bench', alg: 'ES256', use: 'sig' }] },
    scopes: ['api.read'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'urn:bench-api',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api.read',
          audience: 'urn:bench-api',
          accessTokenTTL: 900,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  createServer(provider.callback()).listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
}

void main();
