import { fetchJson } from '@platform/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AUTHZ_API, IDENTITY_API, startAuthorizationServer, type AuthorizationServerUnderTest } from './authz-harness';

const SECRET = 'rotation-admin-cli-secret-0123456789abcdefghij';

describe('signing key rotation', () => {
  let authz: AuthorizationServerUnderTest;
  let issuer: string;

  beforeAll(async () => {
    authz = await startAuthorizationServer('authz_rotation', SECRET);
    issuer = authz.issuer;
    await stableAdmin();
  });

  afterAll(async () => {
    await authz?.stop();
  });

  const token = (scope: string, resource: string) => authz.adminToken(scope, resource);
  const apiToken = () => token('identity.users.read', IDENTITY_API);
  const jwks = async () => (await fetchJson(`${issuer}/jwks`)).body as { keys: { kid: string }[] };

  it('publishes the next key before it signs, keeps old tokens verifiable, and fails no request while rotating', async () => {
    const admin = await token('authz.keys.read authz.keys.write', AUTHZ_API);
    const before = await fetchJson(`${issuer}/api/v1/signing-keys`, { headers: { authorization: `Bearer ${admin}` } });
    expect(before.body.map((k: { status: string }) => k.status).sort()).toEqual(['active', 'next']);
    expect(JSON.stringify(before.body)).not.toMatch(/"d":/);
    const nextKid = before.body.find((k: { status: string }) => k.status === 'next').kid;
    expect((await jwks()).keys.map((k) => k.kid)).toContain(nextKid);

    const oldToken = await apiToken();
    const oldKid = decodeProtectedHeader(oldToken).kid;

    // Load while rotating: every token must be issued and must verify against the JWKS of its moment.
    let failures = 0;
    let issued = 0;
    let stop = false;
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            const t = await apiToken();
            await jwtVerify(t, createLocalJWKSet(await jwks()), {
              issuer,
              audience: 'urn:identity-platform:identity-api',
            });
            issued++;
          } catch {
            failures++;
          }
        }
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    const rotated = await fetchJson(`${issuer}/api/v1/signing-keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.active).toBe(nextKid);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load;
    expect({ failures, issuedSome: issued > 10 }).toEqual({ failures: 0, issuedSome: true });

    const newToken = await apiToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(nextKid);
    const published = await jwks();
    expect(published.keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, nextKid, rotated.body.next]));
    await expect(jwtVerify(oldToken, createLocalJWKSet(published), { issuer })).resolves.toBeDefined();
  });

  it('keeps the management API behind its own scopes', async () => {
    const apiOnly = await apiToken();
    const res = await fetchJson(`${issuer}/api/v1/signing-keys`, { headers: { authorization: `Bearer ${apiOnly}` } });
    expect(res.status).toBe(401); // a token for another audience
    expect((await fetchJson(`${issuer}/api/v1/signing-keys/rotate`, { method: 'POST' })).status).toBe(401);
  });

  // Minted before any algorithm switch: the management API's own verifier already knows its key
  // (it refetches the JWKS for unknown kids at most every 10 s, which back-to-back rotations outpace).
  let keysAdmin: Promise<string> | undefined;
  const stableAdmin = () => (keysAdmin ??= token('authz.keys.write', AUTHZ_API));

  it.each(['RS256', 'EdDSA'] as const)(
    'switches to %s in two rotations: published first, then signing; earlier tokens still verify',
    async (alg) => {
      const admin = await stableAdmin();
      const rotate = (body: unknown) =>
        fetchJson(`${issuer}/api/v1/signing-keys/rotate`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const earlier = await apiToken();
      expect((await rotate({ alg })).status).toBe(200);
      // The new algorithm's key is only published yet: tokens keep the previous algorithm.
      expect((await jwks()).keys.some((k) => (k as { alg?: string }).alg === alg)).toBe(true);
      expect(decodeProtectedHeader(await apiToken()).alg).not.toBe(alg);
      expect((await rotate({ alg })).status).toBe(200);
      const switched = await apiToken();
      expect(decodeProtectedHeader(switched).alg).toBe(alg);
      const keys = createLocalJWKSet((await jwks()) as never);
      for (const jwt of [earlier, switched]) {
        await expect(jwtVerify(jwt, keys, { issuer, audience: IDENTITY_API })).resolves.toBeTruthy();
      }
    },
  );

  it('refuses an unknown algorithm', async () => {
    const admin = await stableAdmin();
    const res = await fetchJson(`${issuer}/api/v1/signing-keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ alg: 'HS256' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
