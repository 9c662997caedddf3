import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import type { ResourceServer } from '../resource-servers/resource-server.entity';
import { introspectionPolicy, introspectionResponse, publicJwks } from './resource-server-introspection';

describe('introspection by resource servers', () => {
  const servers = {
    find: async (identifier: string) =>
      identifier === 'https://orders.example'
        ? ({ introspectionClientId: 'orders-introspector' } as ResourceServer)
        : null,
  };
  const { allowed } = introspectionPolicy(servers);

  it("the token's own client may always introspect it", async () => {
    await expect(allowed(null, { clientId: 'web' }, { kind: 'RefreshToken', clientId: 'web' })).resolves.toBe(true);
  });

  it("the API's designated client may introspect the access tokens for that API, issued to anyone", async () => {
    const token = { kind: 'AccessToken', clientId: 'web', aud: 'https://orders.example' };
    await expect(allowed(null, { clientId: 'orders-introspector' }, token)).resolves.toBe(true);
    await expect(
      allowed(
        null,
        { clientId: 'orders-introspector' },
        { ...token, aud: ['https://other.example', 'https://orders.example'] },
      ),
    ).resolves.toBe(true);
  });

  it('nobody else, and never the refresh tokens or other APIs’ tokens', async () => {
    const token = { kind: 'AccessToken', clientId: 'web', aud: 'https://orders.example' };
    await expect(allowed(null, { clientId: 'stranger' }, token)).resolves.toBe(false);
    await expect(allowed(null, { clientId: 'orders-introspector' }, { ...token, kind: 'RefreshToken' })).resolves.toBe(
      false,
    );
    await expect(
      allowed(null, { clientId: 'orders-introspector' }, { ...token, aud: 'https://billing.example' }),
    ).resolves.toBe(false);
  });

  it('verifies JWTs with the public halves of the signing keys only', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const [key] = publicJwks([privateKey.export({ format: 'jwk' }) as JWK]);
    expect(Object.keys(key!).sort()).toEqual(['e', 'kty', 'n']);
  });

  it('answers RFC 7662 fields from the token, with its token type', () => {
    const claims = { sub: 'u1', client_id: 'web', aud: 'https://orders.example', scope: 'api.read', exp: 2, iat: 1 };
    expect(introspectionResponse(claims)).toEqual({ ...claims, active: true, token_type: 'Bearer' });
    expect(introspectionResponse({ ...claims, cnf: { jkt: 'thumb' } }).token_type).toBe('DPoP');
  });
});
