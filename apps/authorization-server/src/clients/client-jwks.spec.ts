import { generateKeyPairSync } from 'node:crypto';
import { clientJwks, clientJwksProblem, MAX_CLIENT_KEYS } from './client-jwks';

const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid: 'k1' };

describe('inline client JWKS', () => {
  it('accepts public signing keys', () => {
    expect(clientJwksProblem({ keys: [publicJwk] })).toBeNull();
    expect(clientJwks({ keys: [publicJwk], extra: 'dropped' })).toEqual({ keys: [publicJwk] });
  });

  it('refuses private and symmetric keys, encryption keys and non-JWK-sets', () => {
    expect(clientJwksProblem({ keys: [privateJwk] })).toMatch(/public keys only/);
    expect(clientJwksProblem({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).toMatch(/RSA, EC or OKP/);
    expect(clientJwksProblem({ keys: [{ ...publicJwk, use: 'enc' }] })).toMatch(/signatures/);
    expect(clientJwksProblem([publicJwk])).toMatch(/JWK Set/);
    expect(clientJwksProblem({ keys: [] })).toMatch(/1 to/);
  });

  it('bounds the number of keys and the size', () => {
    const many = Array.from({ length: MAX_CLIENT_KEYS + 1 }, (_, i) => ({ ...publicJwk, kid: `k${i}` }));
    expect(clientJwksProblem({ keys: many })).toMatch(/1 to 10 keys/);
    expect(clientJwksProblem({ keys: [{ ...publicJwk, kid: 'x'.repeat(20_000) }] })).toMatch(/bytes/);
  });

  it('answers the clients API with a 400 invalid_client_metadata', () => {
    expect(() => clientJwks({ keys: [privateJwk] })).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_client_metadata' }),
    );
  });
});
