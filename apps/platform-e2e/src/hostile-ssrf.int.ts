import { Browser } from '@platform/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Client } from 'pg';
import { usePlatform } from './support/platform';
import { authorizationRequest, relyingParty } from './support/relying-party';
import { consoleApp, grantRole, identityApiToken } from './support/user-tokens';

const PASSWORD = 'no fetching the metadata service';

/**
 * Hostile-input suite, SSRF (issue 11, defect 4): a tenant administrator (or a client
 * registration) names a loopback, link-local or private address as a URL the servers fetch
 * themselves. Registration answers 400 `outbound_target_forbidden`, and a target that got in
 * some other way (an IdP stored before this check existed) is still refused at connect time:
 * the listener this test starts must never see a TCP connection from either service.
 */
describe('hostile input: server-side request forgery through IdP issuers and client URLs', () => {
  const platform = usePlatform('hostile_ssrf');
  let tenantId: string;
  let adminToken: string;
  let listener: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    // Any TCP connection counts: an https:// issuer on a plain TCP port still shows up here.
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;

    tenantId = (await platform.createTenant('ssrf-corp')).id;
    // An IdP on loopback as if registered before the check existed (or its name now resolves
    // elsewhere): straight into the database, before any sign-in page caches the tenant's IdPs.
    const db = new Client({ connectionString: platform.identityDb.url });
    await db.connect();
    await db.query(
      `INSERT INTO identity_providers (tenant_id, slug, display_name, issuer, client_id) VALUES ($1, 'legacy', 'Legacy SSO', $2, 'x')`,
      [tenantId, `https://127.0.0.1:${port}/`],
    );
    await db.end();
    const admin = await platform.createUser(tenantId, 'mallory@ssrf.example', PASSWORD);
    await grantRole(platform, tenantId, admin.id, 'tenant-admin');
    adminToken = (await identityApiToken(await consoleApp(platform, tenantId), 'mallory@ssrf.example', PASSWORD))
      .accessToken;
  });

  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
  });

  const asTenantAdmin = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${platform.identityUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const idp = (slug: string, issuer: string) => ({ slug, displayName: slug, issuer, clientId: 'downstream' });

  it.each([
    ['loopback IPv4', () => `https://127.0.0.1:${port}/`],
    ['loopback by name', () => `https://localhost:${port}/`],
    ['loopback IPv6', () => `https://[::1]:${port}/`],
    ['IPv4-mapped IPv6 loopback', () => `https://[::ffff:127.0.0.1]:${port}/`],
    ['cloud metadata', () => 'http://169.254.169.254/'],
    ['RFC 1918', () => 'https://10.0.0.1/realms/corp'],
  ])('an IdP issuer on %s is refused with 400 outbound_target_forbidden, without connecting', async (_what, issuer) => {
    const before = connections;
    const res = await asTenantAdmin('POST', '/api/v1/idps', idp(`idp-${randomUUID().slice(0, 8)}`, issuer()));
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'outbound_target_forbidden' } } });
    expect(connections).toBe(before);
  });

  it('changing an existing IdP to a loopback issuer is refused the same way', async () => {
    // A public-looking name that does not resolve here passes (it is checked again on every connection).
    const created = await asTenantAdmin('POST', '/api/v1/idps', idp('corp-sso', 'https://sso.ssrf-corp.example'));
    expect(created.status).toBe(201);
    const before = connections;
    const res = await asTenantAdmin('PATCH', `/api/v1/idps/${created.body.id}`, {
      issuer: `https://127.0.0.1:${port}/`,
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'outbound_target_forbidden' } } });
    expect(connections).toBe(before);
    const stored = await asTenantAdmin('GET', `/api/v1/idps/${created.body.id}`, undefined);
    expect(stored.body.issuer).toBe('https://sso.ssrf-corp.example');
  });

  it('an IdP stored with a loopback issuer anyway is refused at connect time by the authorization server', async () => {
    const rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    const browser = new Browser();
    const login = await browser.follow((await authorizationRequest(rp, 'openid')).url);
    const link = login.body.match(/<a class="button secondary" href="([^"]+)">Sign in with Legacy SSO<\/a>/)?.[1];
    expect(link).toBeTruthy();
    const before = connections;
    const page = await browser.follow(new URL(link!, login.url).toString());
    expect(page.status).toBe(503);
    expect(page.body).toContain('Legacy SSO is not reachable right now');
    expect(connections).toBe(before);
  });

  it('a client whose jwks_uri or back-channel logout URI is on a private address is refused with 400', async () => {
    const jwks = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'Keys on loopback',
      type: 'service',
      scopes: ['identity.users.read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    });
    expect(jwks).toMatchObject({ status: 400, body: { error: { code: 'outbound_target_forbidden' } } });

    const logout = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'Logout to the metadata service',
      type: 'confidential',
      redirectUris: ['https://app.example.test/callback'],
      backchannelLogoutUri: 'http://169.254.169.254/latest/meta-data/',
    });
    expect(logout).toMatchObject({ status: 400, body: { error: { code: 'outbound_target_forbidden' } } });

    const created = await platform.createClient({
      name: 'Web app',
      type: 'confidential',
      redirectUris: ['https://app.example.test/callback'],
    });
    const patched = await platform.authzAdmin('PATCH', `/api/v1/clients/${created.clientId}`, {
      backchannelLogoutUri: `http://localhost:${port}/logout`,
    });
    expect(patched).toMatchObject({ status: 400, body: { error: { code: 'outbound_target_forbidden' } } });
  });

  it("a client's jwks_uri pointing at loopback anyway is never connected to (private_key_jwt fails closed)", async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { clientId } = await platform.createClient({
      name: 'Partner',
      type: 'service',
      scopes: ['identity.users.read'],
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwksUri: 'https://keys.partner.example/jwks.json',
    });
    const db = new Client({ connectionString: platform.authzDb.url });
    await db.connect();
    await db.query(
      `UPDATE oauth_clients SET metadata = jsonb_set(metadata, '{jwks_uri}', to_jsonb($2::text)) WHERE client_id = $1`,
      [clientId, `http://127.0.0.1:${port}/jwks.json`],
    );
    await db.end();

    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(platform.issuer)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(privateKey);
    const before = connections;
    const res = await fetch(`${platform.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'identity.users.read',
        resource: 'urn:identity-platform:identity-api',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    expect(res.status).toBe(401);
    await expect(res.json()).resolves.toMatchObject({ error: 'invalid_client' });
    expect(connections).toBe(before);
  });
});
