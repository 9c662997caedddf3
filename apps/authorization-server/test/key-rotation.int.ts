import { fetchJson, fetchJsonWithBearer } from '@platform/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { AUTHZ_API, IDENTITY_API, useAuthorizationServer } from './authz-harness';

const SECRET = 'rotation-admin-cli-secret-0123456789abcdefghij';

describe('signing key rotation', () => {
  const authz = useAuthorizationServer('authz_rotation', SECRET);
  let issuer: string;

  beforeAll(async () => {
    issuer = authz.issuer;
    await stableAdmin();
  });

  const token = (scope: string, resource: string) => authz.adminToken(scope, resource);
  const apiToken = () => token('identity.users.read', IDENTITY_API);
  const jwks = async () => (await fetchJson(`${issuer}/jwks`)).body as { keys: { kid: string }[] };

  it('publishes the next key before it signs, keeps old tokens verifiable, and fails no request while rotating', async () => {
    const admin = await token('authz.keys.read authz.keys.write', AUTHZ_API);
    const before = await fetchJson(`${issuer}/api/v1/signing-keys`, { headers: { authorization: `Bearer ${admin}` } });
    // One active and one next key per algorithm family.
    expect(before.body.map((k: { alg: string; status: string }) => `${k.alg}:${k.status}`).sort()).toEqual([
      'ES256:active',
      'ES256:next',
      'EdDSA:active',
      'EdDSA:next',
      'RS256:active',
      'RS256:next',
    ]);
    expect(JSON.stringify(before.body)).not.toMatch(/"d":/);
    const nexts = before.body.filter((k: { status: string }) => k.status === 'next').map((k: { kid: string }) => k.kid);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining(nexts));
    // The identity API's tokens are ES256 (its signingAlg): that family's next key signs after the rotation.
    const nextKid = before.body.find(
      (k: { alg: string; status: string }) => k.alg === 'ES256' && k.status === 'next',
    ).kid;

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
    expect(rotated.body.keys.ES256.active).toBe(nextKid);
    expect(Object.keys(rotated.body.keys).sort()).toEqual(['ES256', 'EdDSA', 'RS256']);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load;
    expect({ failures, issuedSome: issued > 10 }).toEqual({ failures: 0, issuedSome: true });

    const newToken = await apiToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(nextKid);
    const published = await jwks();
    expect(published.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([oldKid, nextKid, rotated.body.keys.ES256.next]),
    );
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
  const stableAdmin = () =>
    (keysAdmin ??= token('authz.keys.read authz.keys.write authz.apis.write authz.clients.write', AUTHZ_API));
  const asKeysAdmin = async (method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${issuer}${path}`, await stableAdmin(), method, body);

  it.each(['RS256', 'EdDSA'] as const)(
    'an API with signingAlg %s gets such tokens; a rotation signs with its published next key; earlier tokens still verify',
    async (alg) => {
      const identifier = `https://${alg.toLowerCase()}.api.example`;
      const manage = (path: string, body: unknown) => asKeysAdmin('POST', path, body);
      expect(
        (await manage('/api/v1/resource-servers', { identifier, name: alg, scopes: ['ledger.read'], signingAlg: alg }))
          .status,
      ).toBe(201);
      const client = await manage('/api/v1/clients', {
        name: `${alg} service`,
        type: 'service',
        scopes: ['ledger.read'],
      });
      expect(client.status).toBe(201);
      const apiToken = () =>
        authz.clientToken(client.body.clientId, client.body.clientSecret, 'ledger.read', identifier);

      const earlier = await apiToken();
      expect(decodeProtectedHeader(earlier).alg).toBe(alg);
      // Its family's next key is already published, before it signs anything.
      const listed = await asKeysAdmin('GET', '/api/v1/signing-keys');
      const next = listed.body.find((k: { alg: string; status: string }) => k.alg === alg && k.status === 'next').kid;
      expect((await jwks()).keys.map((k) => k.kid)).toContain(next);

      const rotated = await manage('/api/v1/signing-keys/rotate', {});
      expect(rotated.status).toBe(200);
      expect(rotated.body.keys[alg].active).toBe(next);
      const after = await apiToken();
      expect(decodeProtectedHeader(after)).toMatchObject({ alg, kid: next });
      const keys = createLocalJWKSet((await jwks()) as never);
      for (const jwt of [earlier, after]) {
        await expect(jwtVerify(jwt, keys, { issuer, audience: identifier })).resolves.toBeTruthy();
      }
    },
  );

  it('rotates a single family on request and leaves the others alone', async () => {
    const res = await asKeysAdmin('POST', '/api/v1/signing-keys/rotate', { alg: 'EdDSA' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.keys)).toEqual(['EdDSA']);
  });

  it('refuses an unknown algorithm', async () => {
    const res = await asKeysAdmin('POST', '/api/v1/signing-keys/rotate', { alg: 'HS256' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });
});
