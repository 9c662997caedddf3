import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

/**
 * "Test connection" of an external identity provider (issue 15's IdP screen): the backend fetches
 * the issuer's discovery document and JWKS as a sign-in would and answers with a code. The
 * upstream providers are paths of one local server (private network allowed, as in local setups).
 */
describe('identity provider connection test', () => {
  let api: IdentityApi;
  let upstream: Server;
  let base: string;
  let admin: string;
  let tenantId: string;
  const hanging: { end: () => void }[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      const [, provider] = req.url!.split('/');
      const issuer = `${base}/${provider}`;
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url!.endsWith('/jwks')) return json(200, { keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y' }] });
      if (!req.url!.endsWith('/.well-known/openid-configuration')) return json(404, { error: 'not_found' });
      const document = {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        userinfo_endpoint: `${issuer}/userinfo`,
        jwks_uri: `${issuer}/jwks`,
      };
      switch (provider) {
        case 'good':
          return json(200, document);
        case 'mismatch':
          return json(200, { ...document, issuer: 'https://someone-else.example' });
        case 'nojwks':
          return json(200, { ...document, jwks_uri: `${issuer}/missing-keys` });
        case 'incomplete':
          return json(200, { issuer });
        case 'html':
          return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
        case 'slow':
          // Never answers: the test must give up on its own.
          hanging.push({ end: () => res.destroy() });
          return;
        default:
          return json(404, { error: 'not_found' });
      }
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    api = await startIdentityApi('identity_idp_connection', { OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true' });
    tenantId = (await api.createTenant('connection-test')).id;
    admin = await api.tenantAdminToken(tenantId);
  });

  afterAll(async () => {
    hanging.forEach((h) => h.end());
    await api?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  const providerAt = async (slug: string, issuer: string) => {
    const created = await api.call('POST', '/api/v1/idps', admin, { slug, displayName: slug, issuer, clientId: 'rp' });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const test = async (id: string, token = admin) => api.call('POST', `/api/v1/idps/${id}/test`, token);

  it('reports a working provider: its endpoints and the number of signing keys', async () => {
    const res = await test(await providerAt('good', `${base}/good`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ok: true,
      code: 'ok',
      discoveryUrl: `${base}/good/.well-known/openid-configuration`,
      httpStatus: 200,
      issuer: `${base}/good`,
      authorizationEndpoint: `${base}/good/authorize`,
      tokenEndpoint: `${base}/good/token`,
      jwksUri: `${base}/good/jwks`,
      jwksKeys: 1,
    });
    expect(res.body.durationMs).toEqual(expect.any(Number));
  });

  it('names what is wrong with a broken provider, as a result rather than an API error', async () => {
    const cases: [string, string][] = [
      ['mismatch', 'issuer_mismatch'],
      ['nojwks', 'jwks_unavailable'],
      ['incomplete', 'invalid_document'],
      ['html', 'invalid_document'],
      ['absent', 'http_error'],
    ];
    for (const [provider, code] of cases) {
      const res = await test(await providerAt(provider, `${base}/${provider}`));
      expect({ provider, status: res.status, ok: res.body.ok, code: res.body.code }).toEqual({
        provider,
        status: 200,
        ok: false,
        code,
      });
      expect(res.body.message).toEqual(expect.any(String));
      if (provider === 'absent') expect(res.body.httpStatus).toBe(404);
    }
  });

  it('gives up on a provider that does not answer, and on one nobody listens at', async () => {
    // Registration itself waits for the silent issuer's discovery once (and then lets it be).
    const slow = await test(await providerAt('slow', `${base}/slow`));
    expect(slow.body).toMatchObject({ ok: false, code: 'timeout' });
    expect(slow.body.durationMs).toBeGreaterThanOrEqual(4_000);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadIssuer = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const dead = await test(await providerAt('dead', deadIssuer));
    expect(dead.body).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it("needs idps:write, and is 404 for another tenant's provider", async () => {
    const id = await providerAt('guarded', `${base}/good`);
    const reader = await api.tenantToken(tenantId, {
      sub: 'reader',
      client_id: 'console',
      scope: 'openid',
      permissions: ['idps:read'],
    });
    expect((await test(id, reader)).status).toBe(403);
    const other = await api.tenantAdminToken((await api.createTenant('connection-test-other')).id);
    const foreign = await test(id, other);
    expect({ status: foreign.status, code: foreign.body.error?.code }).toEqual({ status: 404, code: 'idp_not_found' });
  });
});
