import { Browser, formValue, Keyring } from '@platform/testing';
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { AUTHZ_API, IDENTITY_API, usePlatform } from './support/platform';
import { expectRule } from './support/rules';
import { consoleApp, grantRole, IDENTITY_ADMIN_SCOPES, identityApiToken } from './support/user-tokens';
import { authorizationRequest, type RelyingParty, relyingParty } from './support/relying-party';
import { pageAction } from './support/sign-in';

const PASSWORD = 'tokens are only as good as their checks';
const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/**
 * Hostile-input suite, part 2: forged and misused JWT access tokens against both services'
 * resource-server checks, tenant IDOR across every resource type of the identity API, and
 * privilege escalation through scopes. To prove that expiry and iat are enforced (and not just
 * the signature), the test holds the authorization server's real signing key: it starts the
 * server with a keyring it knows and opens the sealed private key from the server's database.
 */
describe('hostile input: forged tokens, tenant IDOR and scope escalation', () => {
  const keyringSpec = Keyring.generateSpec('e2e');
  const platform = usePlatform('hostile_tokens', { authz: { DATA_ENCRYPTION_KEYS: keyringSpec } });
  let tenantA: string;
  let tenantB: string;
  let victim: { id: string };
  let adminB: { id: string };
  let consoleA: RelyingParty;
  let consoleB: RelyingParty;
  let adminBToken: string;
  let serverKey: { kid: string; privateJwk: JWK; publicJwk: JWK };
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    tenantA = (await platform.createTenant('victim-corp')).id;
    tenantB = (await platform.createTenant('attacker-corp')).id;
    victim = await platform.createUser(tenantA, 'victim@victim.example', PASSWORD);
    adminB = await platform.createUser(tenantB, 'mallory@attacker.example', PASSWORD);
    await grantRole(platform, tenantB, adminB.id, 'tenant-admin');
    consoleA = await consoleApp(platform, tenantA);
    consoleB = await consoleApp(platform, tenantB);
    adminBToken = (await identityApiToken(consoleB, 'mallory@attacker.example', PASSWORD)).accessToken;

    const db = new Client({ connectionString: platform.authzDb.url });
    await db.connect();
    const { rows } = await db.query(
      "SELECT kid, private_jwk_sealed, public_jwk FROM signing_keys WHERE status = 'active' LIMIT 1",
    );
    await db.end();
    const row = rows[0];
    serverKey = {
      kid: row.kid,
      privateJwk: JSON.parse(Keyring.parse(keyringSpec).open(row.private_jwk_sealed, `signing-key:${row.kid}`)),
      publicJwk: row.public_jwk,
    };
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const me = (token: string) => fetch(`${platform.identityUrl}/api/v1/me`, { headers: bearer(token) });
  const clients = (token: string) => fetch(`${platform.issuer}/api/v1/clients`, { headers: bearer(token) });

  /** The claims of a genuine access token of the victim for the identity API. */
  const victimClaims = (overrides: Record<string, unknown> = {}) => ({
    iss: platform.issuer,
    aud: IDENTITY_API,
    sub: victim.id,
    client_id: consoleA.clientId,
    tenant_id: tenantA,
    scope: 'openid',
    jti: randomUUID(),
    iat: now(),
    exp: now() + 300,
    ...overrides,
  });

  /** Signed with the authorization server's own active key: only the one changed claim or header is wrong. */
  const serverSigned = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: serverKey.kid, typ: 'at+jwt', ...header })
      .sign(await importJWK(serverKey.privateJwk, 'ES256'));

  const attackerKey = async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    return {
      privateKey,
      publicJwk: { ...(await exportJWK(publicKey)), kid: 'attacker-key', alg: 'ES256', use: 'sig' },
    };
  };

  describe('forged JWT access tokens (RFC 8725, RFC 9068)', () => {
    it('control: a token signed with the server key and correct claims is accepted (so the refusals below are about the one flaw)', async () => {
      expect((await me(await serverSigned(victimClaims()))).status).toBe(200);
    });

    it('RFC 8725 §3.1: alg "none" (unsigned) is refused by both services', async () => {
      const unsigned = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(victimClaims())}.`;
      expectRule('RFC 8725 §3.1: identity backend refuses alg none', (await me(unsigned)).status).toBe(401);
      const adminClaims = victimClaims({
        aud: AUTHZ_API,
        sub: 'admin-cli',
        client_id: 'admin-cli',
        scope: 'authz.clients.read',
      });
      const unsignedAdmin = `${b64url({ alg: 'none', typ: 'at+jwt' })}.${b64url(adminClaims)}.`;
      expectRule(
        'RFC 8725 §3.1: authorization server management API refuses alg none',
        (await clients(unsignedAdmin)).status,
      ).toBe(401);
    });

    it("RFC 8725 §2.1/§3.1: HS256 signed with the server's public key as the HMAC secret (key confusion) is refused", async () => {
      const header = b64url({ alg: 'HS256', kid: serverKey.kid, typ: 'at+jwt' });
      const payload = b64url(victimClaims());
      const publicPem = await exportSPKI(
        (await importJWK(serverKey.publicJwk, 'ES256')) as Parameters<typeof exportSPKI>[0],
      );
      for (const secret of [publicPem, JSON.stringify(serverKey.publicJwk)]) {
        const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
        expectRule(
          'RFC 8725 §3.1: HMAC algorithms are never accepted for asymmetric keys',
          (await me(`${header}.${payload}.${signature}`)).status,
        ).toBe(401);
      }
    });

    it('RFC 7515 §4.1.4: a token signed by a foreign key (its own kid, or the real kid) is refused', async () => {
      const attacker = await attackerKey();
      for (const kid of ['attacker-key', serverKey.kid]) {
        const token = await new SignJWT(victimClaims())
          .setProtectedHeader({ alg: 'ES256', kid, typ: 'at+jwt' })
          .sign(attacker.privateKey);
        expectRule(
          `RFC 7515 §4.1.4: only the server's published keys verify (kid ${kid})`,
          (await me(token)).status,
        ).toBe(401);
      }
    });

    it('RFC 8725 §3.10: jku, x5u and embedded jwk headers never make the verifier trust a key the token names', async () => {
      const attacker = await attackerKey();
      let fetched = 0;
      const jwksServer: Server = createServer((_req, res) => {
        fetched++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [attacker.publicJwk] }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      const attackerUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks`;
      try {
        const headers = [{ jku: attackerUrl }, { x5u: attackerUrl }, { jwk: attacker.publicJwk }];
        for (const header of headers) {
          const token = await new SignJWT(victimClaims())
            .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key', typ: 'at+jwt', ...header })
            .sign(attacker.privateKey);
          expectRule(
            `RFC 8725 §3.10: ${Object.keys(header)[0]} header ignored as a key source`,
            (await me(token)).status,
          ).toBe(401);
        }
        // Even on a token the server really signed, a key-bearing header marks it as hostile.
        const genuineButHostile = await serverSigned(victimClaims(), { jku: attackerUrl });
        expectRule(
          'RFC 8725 §3.10: a token naming its own key source is refused',
          (await me(genuineButHostile)).status,
        ).toBe(401);
        expectRule('RFC 8725 §3.10: the verifier never fetches a URL from a token header', fetched).toBe(0);
      } finally {
        await new Promise((resolve) => jwksServer.close(resolve));
      }
    });

    it('RFC 7519 §4.1.4: an expired token (beyond the clock tolerance) is refused', async () => {
      const expired = await serverSigned(victimClaims({ iat: now() - 3600, exp: now() - 120 }));
      expectRule('RFC 7519 §4.1.4: exp is enforced', (await me(expired)).status).toBe(401);
    });

    it('RFC 7519 §4.1.6: a token issued in the future (iat ahead of the clock) is refused', async () => {
      const future = await serverSigned(victimClaims({ iat: now() + 3600, exp: now() + 7200 }));
      expectRule('RFC 7519 §4.1.6: iat in the future is refused', (await me(future)).status).toBe(401);
    });

    it('RFC 9068 §4: a token for another audience or from another issuer is refused', async () => {
      const otherAudience = await serverSigned(victimClaims({ aud: 'urn:some:other-api' }));
      expectRule('RFC 9068 §4: aud must be the identity API', (await me(otherAudience)).status).toBe(401);
      const otherIssuer = await serverSigned(victimClaims({ iss: 'https://evil.example' }));
      expectRule('RFC 9068 §4: iss must be the authorization server', (await me(otherIssuer)).status).toBe(401);
      // A genuine token the server issued for its own management API does not open the identity API.
      const authzToken = await platform.adminToken('authz.clients.read', AUTHZ_API);
      const res = await fetch(`${platform.identityUrl}/api/v1/users?tenantId=${tenantA}`, {
        headers: bearer(authzToken),
      });
      expectRule('RFC 9068 §4: a token for the authorization API is no identity API token', res.status).toBe(401);
    });

    it('RFC 9068 §2.1 / RFC 8725 §3.11: a genuine ID token is no access token (typ confusion)', async () => {
      const { idToken } = await identityApiToken(consoleA, 'victim@victim.example', PASSWORD, []);
      expectRule('RFC 9068 §2.1: typ at+jwt required', (await me(idToken)).status).toBe(401);
      const userinfo = await fetch(`${platform.issuer}/userinfo`, { headers: bearer(idToken) });
      expectRule('OIDC Core §5.3: /userinfo takes access tokens only', userinfo.status).toBe(401);
    });
  });

  describe('tenant IDOR: an administrator of tenant B reaches nothing of tenant A', () => {
    let roleA: { id: string };
    let idpA: { id: string };

    beforeAll(async () => {
      roleA = (
        await platform.identityAdmin('POST', `/api/v1/roles?tenantId=${tenantA}`, {
          name: 'a-secret-role',
          permissions: ['users:read'],
        })
      ).body;
      idpA = (
        await platform.identityAdmin('POST', `/api/v1/idps?tenantId=${tenantA}`, {
          slug: 'a-sso',
          displayName: 'A SSO',
          issuer: 'https://sso.victim.example',
          clientId: 'victim-rp',
        })
      ).body;
      expect(roleA.id).toBeTruthy();
      expect(idpA.id).toBeTruthy();
    });

    const asAdminB = (method: string, path: string, body?: unknown) =>
      fetch(`${platform.identityUrl}${path}`, {
        method,
        headers: { ...bearer(adminBToken), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    it.each<[string, () => [string, string, unknown?][]]>([
      [
        'users',
        () => [
          ['GET', `/api/v1/users/${victim.id}`],
          ['PUT', `/api/v1/users/${victim.id}/profile`, { name: 'Pwned' }],
          ['PUT', `/api/v1/users/${victim.id}/attributes`, { attributes: { pwned: true } }],
          ['POST', `/api/v1/users/${victim.id}/lock`, {}],
          ['POST', `/api/v1/users/${victim.id}/disable`, {}],
          ['POST', `/api/v1/users/${victim.id}/password`, { password: 'attacker chosen password 1' }],
          ['POST', `/api/v1/users/${victim.id}/mfa/reset`, {}],
          ['POST', `/api/v1/users/${victim.id}/verify-email/send`, {}],
          ['DELETE', `/api/v1/users/${victim.id}`],
          ['GET', `/api/v1/users?tenantId=${tenantA}`],
        ],
      ],
      [
        'role assignments',
        () => [
          ['GET', `/api/v1/users/${victim.id}/roles`],
          ['GET', `/api/v1/users/${victim.id}/permissions`],
          ['POST', `/api/v1/users/${adminB.id}/roles`, { roleIds: [roleA.id] }],
        ],
      ],
      [
        'roles',
        () => [
          ['GET', `/api/v1/roles/${roleA.id}`],
          ['PATCH', `/api/v1/roles/${roleA.id}`, { permissions: ['users:read', 'users:write'] }],
          ['GET', `/api/v1/roles/${roleA.id}/members`],
          ['DELETE', `/api/v1/roles/${roleA.id}`],
        ],
      ],
      [
        'tenants and their settings',
        () => [
          ['GET', `/api/v1/tenants/${tenantA}`],
          ['PATCH', `/api/v1/tenants/${tenantA}`, { status: 'suspended' }],
          ['GET', `/api/v1/tenants/${tenantA}/settings`],
          ['PUT', `/api/v1/tenants/${tenantA}/settings`, { selfRegistration: true }],
        ],
      ],
      [
        'external identity providers and links',
        () => [
          ['GET', `/api/v1/idps/${idpA.id}`],
          ['PATCH', `/api/v1/idps/${idpA.id}`, { issuer: 'https://evil.example' }],
          ['DELETE', `/api/v1/idps/${idpA.id}`],
          ['GET', `/api/v1/users/${victim.id}/external-identities`],
          ['GET', `/api/v1/idps?tenantId=${tenantA}`],
        ],
      ],
      [
        'audit events',
        () => [
          ['GET', `/api/v1/users/${victim.id}/audit-events`],
          ['GET', `/api/v1/audit-events?tenantId=${tenantA}`],
        ],
      ],
      [
        'personal data (GDPR export and erasure)',
        () => [
          ['GET', `/api/v1/users/${victim.id}/export`],
          ['POST', `/api/v1/users/${victim.id}/erase`, {}],
        ],
      ],
    ])('DESIGN §6/§7: every query is tenant-scoped — tenant B gets 404 for tenant A %s', async (resource, requests) => {
      for (const [method, path, body] of requests()) {
        const res = await asAdminB(method, path, body);
        const text = await res.text();
        // 404, or a list filtered to tenant B that holds nothing of A (reveals nothing either).
        const items = res.status === 200 ? (JSON.parse(text) as { items?: unknown[] }).items : undefined;
        const outcome =
          res.status === 404 || items?.length === 0 ? 'nothing of tenant A' : `${res.status} ${text.slice(0, 300)}`;
        expectRule(`DESIGN: tenant isolation of ${resource}: ${method} ${path} as tenant B`, outcome).toBe(
          'nothing of tenant A',
        );
      }
      // Nothing of tenant A changed.
      const user = await platform.identityAdmin('GET', `/api/v1/users/${victim.id}?tenantId=${tenantA}`);
      expectRule('DESIGN: tenant isolation: the victim is untouched', user.body).toMatchObject({
        status: 'active',
        profile: {},
      });
      const role = await platform.identityAdmin('GET', `/api/v1/roles/${roleA.id}?tenantId=${tenantA}`);
      expectRule('DESIGN: tenant isolation: the role is untouched', role.body.permissions).toEqual(['users:read']);
    });

    it("DESIGN §7: a tenant-bound client's own token (client credentials) reaches only its tenant", async () => {
      const service = await relyingParty(platform, {
        type: 'service',
        tenantId: tenantB,
        redirectUris: [],
        scopes: ['identity.users.read'],
      });
      const tokens = await oidc.clientCredentialsGrant(service.config, {
        scope: 'identity.users.read',
        resource: IDENTITY_API,
      });
      const read = await fetch(`${platform.identityUrl}/api/v1/users/${victim.id}`, {
        headers: bearer(tokens.access_token),
      });
      expectRule("DESIGN: a tenant B client cannot read tenant A's users", read.status).toBe(404);
      const list = await fetch(`${platform.identityUrl}/api/v1/users?tenantId=${tenantA}`, {
        headers: bearer(tokens.access_token),
      });
      expectRule("DESIGN: a tenant B client cannot list tenant A's users", list.status).toBe(404);
    });

    it("DESIGN §7: a tenant A app does not sign in tenant B's users (the client's tenant wins over ?tenant=)", async () => {
      const request = await authorizationRequest(consoleA, 'openid', { tenant: 'attacker-corp' });
      const browser = new Browser();
      const page = await browser.follow(request.url);
      const res = await browser.post(new URL(pageAction(page)!, page.url).toString(), {
        login: 'mallory@attacker.example',
        password: PASSWORD,
        csrf: formValue(page.body, 'csrf')!,
      });
      expectRule("DESIGN: a tenant-bound client signs in only its own tenant's users", res.status).toBe(401);
      expectRule("DESIGN: a tenant-bound client signs in only its own tenant's users", res.location).toBeNull();
    });
  });

  describe('privilege escalation through scopes', () => {
    it('DESIGN §4: a user without permissions gets nothing from the admin scopes their app was granted', async () => {
      await platform.createUser(tenantA, 'plain.user@victim.example', PASSWORD);
      const { accessToken } = await identityApiToken(consoleA, 'plain.user@victim.example', PASSWORD);
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString());
      expect(String(claims.scope).split(' ')).toEqual(expect.arrayContaining(['identity.users.read']));
      const rule = 'DESIGN §4: scopes authorize clients, permissions from roles authorize users';
      const list = await fetch(`${platform.identityUrl}/api/v1/users`, { headers: bearer(accessToken) });
      expectRule(`${rule} (list users)`, list.status).toBe(403);
      const role = await fetch(`${platform.identityUrl}/api/v1/roles`, {
        method: 'POST',
        headers: { ...bearer(accessToken), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'self-made-admin', permissions: ['users:write'] }),
      });
      expectRule(`${rule} (create a role)`, role.status).toBe(403);
    });

    it('DESIGN §4: a user signing in to an app that holds platform.admin does not become a platform administrator', async () => {
      // A tenant's app cannot even be registered with platform.admin (issue 11); a platform app can.
      await expect(consoleApp(platform, tenantB, ['platform.admin'])).rejects.toThrow(/reserved_scope/);
      const riskyApp = await consoleApp(platform, undefined, ['platform.admin']);
      const { accessToken } = await identityApiToken(
        riskyApp,
        'mallory@attacker.example',
        PASSWORD,
        [...IDENTITY_ADMIN_SCOPES, 'platform.admin'],
        'attacker-corp',
      );
      const crossTenant = await fetch(`${platform.identityUrl}/api/v1/users/${victim.id}?tenantId=${tenantA}`, {
        headers: bearer(accessToken),
      });
      expectRule(
        'DESIGN §4: platform administration comes from the platform:admin permission, not a scope',
        crossTenant.status,
      ).toBe(404);
    });
  });
});
