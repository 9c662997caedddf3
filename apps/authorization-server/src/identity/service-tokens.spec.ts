import { ManualClock } from '@platform/runtime';
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import { SERVICE_CLIENT_ID, ServiceTokens } from './service-tokens';

describe('ServiceTokens', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  let key: JWK;

  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    key = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'k-1' };
  });

  const setUp = () => {
    const clock = new ManualClock(NOW);
    const activeKey = jest.fn(async () => key);
    const tokens = new ServiceTokens({ issuer: 'https://as.example', audience: 'identity-api', activeKey, clock });
    return { tokens, clock, activeKey };
  };

  it('mints an RFC 9068 token of the identity.internal scope for the backend, issued and expiring by the clock', async () => {
    const { tokens } = setUp();
    const token = await tokens.token();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: 'k-1', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({
      iss: 'https://as.example',
      aud: 'identity-api',
      sub: SERVICE_CLIENT_ID,
      client_id: SERVICE_CLIENT_ID,
      scope: 'identity.internal',
      iat: NOW / 1000,
      exp: NOW / 1000 + 300,
    });
  });

  it('reuses a token for half its lifetime, then mints the next with the key active then', async () => {
    const { tokens, clock, activeKey } = setUp();
    const first = await tokens.token();
    clock.advance(149_000);
    await expect(tokens.token()).resolves.toBe(first);
    expect(activeKey).toHaveBeenCalledTimes(1);
    clock.advance(1_000);
    const second = await tokens.token();
    expect(second).not.toBe(first);
    expect(activeKey).toHaveBeenCalledTimes(2);
    expect(decodeJwt(second).iat).toBe(NOW / 1000 + 150);
  });
});
