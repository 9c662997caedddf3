import { AUTHZ_ADMIN_SCOPES, TENANT_AUTHZ_PERMISSIONS } from '@platform/contracts';
import { Browser, fetchJson, fetchJsonWithBearer, sha256Hex, sqlRows } from '@platform/testing';
import { AUTHZ_API, IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';
import { consoleApp, grantRole, identityApiToken } from './support/user-tokens';

const PASSWORD = 'a tenant admin with ambitions';
const PLATFORM_API = 'https://billing.platform.example';

/** Every management scope: the attacker's console asks for all of them (scope ∩ permission decides). */
const AUTHZ_SCOPES = AUTHZ_ADMIN_SCOPES;

/**
 * Issue 11 defects 1 and 3, walked as the attacker would: a tenant administrator of tenant A
 * tries to turn their tenant role into platform-wide power through the authorization server's
 * management API, and to register a client holding the server's own `identity.internal` scope.
 */
describe('hostile tenant administrator: no platform power through the management API', () => {
  const platform = usePlatform('hostile_admin');
  let tenantA: string;
  let tenantB: string;
  let mallory: { id: string };
  let bob: { id: string };
  let consoleA: RelyingParty;
  let clientB: { clientId: string };
  let apiKeyB: string;
  let identityToken: string;
  let authzToken: string;

  const call = (base: string, token: string, method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${base}${path}`, token, method, body);
  const identity = (method: string, path: string, body?: unknown) =>
    call(platform.identityUrl, identityToken, method, path, body);
  const authz = (method: string, path: string, body?: unknown) => call(platform.issuer, authzToken, method, path, body);

  beforeAll(async () => {
    tenantA = (await platform.createTenant('evil-a')).id;
    tenantB = (await platform.createTenant('victim-b')).id;
    mallory = await platform.createUser(tenantA, 'mallory@evil-a.example', PASSWORD);
    bob = await platform.createUser(tenantB, 'bob@victim-b.example', PASSWORD);
    await grantRole(platform, tenantA, mallory.id, 'tenant-admin');
    // A trusted first-party console of tenant A, allowed every management scope (as a tenant may well register).
    consoleA = await consoleApp(platform, tenantA, AUTHZ_SCOPES);
    clientB = await platform.createClient({
      name: 'Victim portal',
      type: 'confidential',
      tenantId: tenantB,
      redirectUris: ['https://victim-b.example/callback'],
    });
    const key = await platform.authzAdmin('POST', '/api/v1/api-keys', {
      name: 'victim export job',
      tenantId: tenantB,
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
    });
    if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
    apiKeyB = key.body.id;
    const api = await platform.authzAdmin('POST', '/api/v1/resource-servers', {
      identifier: PLATFORM_API,
      name: 'Platform billing API',
      scopes: ['billing.read'],
    });
    if (api.status !== 201) throw new Error(`resource server: ${api.status} ${JSON.stringify(api.body)}`);
    identityToken = (await identityApiToken(consoleA, 'mallory@evil-a.example', PASSWORD)).accessToken;
  });

  it('cannot put platform permissions into a tenant role (create or update): 400 reserved_permission', async () => {
    for (const permissions of [
      ['authz-clients:write', 'authz-keys:write'],
      ['authz-apis:write'],
      ['platform:admin'],
      ['authz-keys:read'],
    ]) {
      const res = await identity('POST', '/api/v1/roles', { name: `operator-${permissions.length}`, permissions });
      expect({ permissions, status: res.status, code: res.body?.error?.code }).toEqual({
        permissions,
        status: 400,
        code: 'reserved_permission',
      });
    }
    const harmless = await identity('POST', '/api/v1/roles', { name: 'harmless', permissions: ['users:read'] });
    expect(harmless.status).toBe(201);
    const widened = await identity('PATCH', `/api/v1/roles/${harmless.body.id}`, {
      permissions: ['users:read', 'authz-keys:write'],
    });
    expect([widened.status, widened.body?.error?.code]).toEqual([400, 'reserved_permission']);
    expect((await identity('GET', `/api/v1/roles/${harmless.body.id}`)).body.permissions).toEqual(['users:read']);
  });

  it('may delegate tenant-scoped client and API key management to themself', async () => {
    const role = await identity('POST', '/api/v1/roles', {
      name: 'client-manager',
      permissions: TENANT_AUTHZ_PERMISSIONS,
    });
    expect(role.status).toBe(201);
    expect((await identity('POST', `/api/v1/users/${mallory.id}/roles`, { roleIds: [role.body.id] })).status).toBe(200);

    // A role with platform permissions from before they were reserved (written straight into the
    // database) is not handed out any more...
    const [legacy] = await sqlRows(
      platform.identityDb.url,
      `INSERT INTO roles (tenant_id, name, description, permissions) VALUES ($1, 'legacy-operator', '', $2) RETURNING id`,
      [tenantA, ['authz-keys:read', 'authz-keys:write', 'authz-apis:read', 'authz-apis:write']],
    );
    const assign = await identity('POST', `/api/v1/users/${mallory.id}/roles`, { roleIds: [legacy.id] });
    expect([assign.status, assign.body?.error?.code]).toEqual([400, 'reserved_permission']);
    // ...and where it was assigned back then, holding the permissions must still not open platform-wide routes.
    await sqlRows(platform.identityDb.url, `INSERT INTO user_roles (user_id, role_id, tenant_id) VALUES ($1, $2, $3)`, [
      mallory.id,
      legacy.id,
      tenantA,
    ]);

    // The console's way to the management API: hosted sign-in, code + PKCE, resource = the authorization API.
    const request = await authorizationRequest(consoleA, ['openid', ...AUTHZ_SCOPES].join(' '), {
      resource: AUTHZ_API,
    });
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'mallory@evil-a.example',
      password: PASSWORD,
    });
    authzToken = (await redeem(consoleA, back.location!, request)).access_token;
    const claims = JSON.parse(Buffer.from(authzToken.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ tenant_id: tenantA, aud: AUTHZ_API });
    expect(claims.permissions).toEqual(expect.arrayContaining(['authz-clients:read']));
    // The legacy role's platform permissions never reach a token.
    expect(claims.permissions).not.toContain('authz-keys:read');
  });

  it("lists, reads and changes only their own tenant's clients; platform and other tenants' clients do not exist", async () => {
    const list = await authz('GET', '/api/v1/clients');
    expect(list.status).toBe(200);
    const ids = (list.body as { clientId: string; tenantId: string | null }[]).map((c) => c.clientId);
    expect(ids).toContain(consoleA.clientId);
    expect(ids).not.toContain('admin-cli');
    expect(ids).not.toContain('demo');
    expect(ids).not.toContain(clientB.clientId);
    expect(new Set(list.body.map((c: { tenantId: string | null }) => c.tenantId))).toEqual(new Set([tenantA]));
    expect((await authz('GET', `/api/v1/clients?tenantId=${tenantB}`)).status).toBe(404);

    for (const target of [clientB.clientId, 'admin-cli', 'demo']) {
      const attempts = {
        get: (await authz('GET', `/api/v1/clients/${target}`)).status,
        patch: (await authz('PATCH', `/api/v1/clients/${target}`, { redirectUris: ['https://evil-a.example/cb'] }))
          .status,
        rotate: (await authz('POST', `/api/v1/clients/${target}/secret`, {})).status,
        delete: (await authz('DELETE', `/api/v1/clients/${target}`)).status,
      };
      expect({ target, ...attempts }).toEqual({ target, get: 404, patch: 404, rotate: 404, delete: 404 });
    }
    // The victim's registration is untouched.
    const victim = await platform.authzAdmin('GET', `/api/v1/clients/${clientB.clientId}`);
    expect(victim.body.metadata.redirect_uris).toEqual(['https://victim-b.example/callback']);

    // Their own tenant's clients they do manage; what they create lands in their tenant.
    const own = await authz('POST', '/api/v1/clients', { name: 'Evil sync', type: 'service' });
    expect([own.status, own.body.tenantId]).toEqual([201, tenantA]);
    expect(
      (await authz('POST', '/api/v1/clients', { name: 'Planted', type: 'service', tenantId: tenantB })).status,
    ).toBe(404);
    expect((await authz('PATCH', `/api/v1/clients/${own.body.clientId}`, { name: 'Evil sync 2' })).status).toBe(200);
    expect((await authz('POST', `/api/v1/clients/${own.body.clientId}/secret`, {})).status).toBe(200);
    expect((await authz('DELETE', `/api/v1/clients/${own.body.clientId}`)).status).toBe(204);
  });

  it('cannot read or rotate signing keys nor register APIs (403) even holding the permissions; custom scopes stay in their tenant', async () => {
    const attempts = {
      listKeys: (await authz('GET', '/api/v1/signing-keys')).status,
      rotateKeys: (await authz('POST', '/api/v1/signing-keys/rotate', {})).status,
      listApis: (await authz('GET', '/api/v1/resource-servers')).status,
      createApi: (
        await authz('POST', '/api/v1/resource-servers', {
          identifier: 'https://api.evil-a.example',
          name: 'Evil API',
          scopes: ['evil.read'],
        })
      ).status,
      deleteApi: (await authz('DELETE', `/api/v1/resource-servers/${encodeURIComponent(PLATFORM_API)}`)).status,
    };
    expect(attempts).toEqual({
      listKeys: 403,
      rotateKeys: 403,
      listApis: 403,
      createApi: 403,
      deleteApi: 403,
    });
    // A custom scope they map is their tenant's, never a global one (which would reach every tenant's users).
    const mapped = await authz('POST', '/api/v1/custom-scopes', {
      scope: 'urn:evil:all',
      claim: 'evil',
      source: 'email',
    });
    expect([mapped.status, mapped.body.tenantId]).toEqual([201, tenantA]);
    const global = await platform.authzAdmin('POST', '/api/v1/custom-scopes', {
      scope: 'urn:platform:mail',
      claim: 'mail',
      source: 'email',
    });
    expect([global.status, global.body.tenantId]).toEqual([201, null]);
    const visible = await authz('GET', '/api/v1/custom-scopes');
    expect(visible.body.map((m: { id: string }) => m.id)).toEqual([mapped.body.id]);
    expect((await authz('DELETE', `/api/v1/custom-scopes/${global.body.id}`)).status).toBe(404);
    // Custom scopes of another tenant do not exist for them.
    const other = await authz('POST', '/api/v1/custom-scopes', {
      scope: 'urn:evil:b',
      claim: 'evil',
      source: 'email',
      tenantId: tenantB,
    });
    expect(other.status).toBe(404);
  });

  it("finds no API key, session or grant of another tenant (404), and no other tenant's keys by ?tenantId", async () => {
    expect((await authz('GET', `/api/v1/api-keys/${apiKeyB}`)).status).toBe(404);
    expect((await authz('DELETE', `/api/v1/api-keys/${apiKeyB}`)).status).toBe(404);
    expect((await authz('GET', `/api/v1/api-keys?tenantId=${tenantB}`)).status).toBe(404);
    const keys = await authz('GET', '/api/v1/api-keys');
    expect(keys.status).toBe(200);
    expect(keys.body.map((k: { id: string }) => k.id)).not.toContain(apiKeyB);
    expect(
      (
        await authz('POST', '/api/v1/api-keys', {
          name: 'x',
          tenantId: tenantB,
          audience: IDENTITY_API,
          scopes: ['identity.users.read'],
        })
      ).status,
    ).toBe(404);
    for (const path of ['sessions', 'grants']) {
      expect((await authz('GET', `/api/v1/users/${bob.id}/${path}`)).status).toBe(404);
    }
    expect((await authz('DELETE', `/api/v1/users/${bob.id}/sessions`)).status).toBe(404);
    // Still valid after the attempts: the victim's key was not revoked.
    const victimKey = await platform.authzAdmin('GET', `/api/v1/api-keys/${apiKeyB}`);
    expect(victimKey.body.revokedAt).toBeNull();
  });

  it('cannot register identity.internal or platform.admin on a client (400 reserved_scope), nor can the platform admin give identity.internal', async () => {
    for (const scopes of [['identity.internal'], ['platform.admin'], ['openid', 'identity.internal']]) {
      const res = await authz('POST', '/api/v1/clients', { name: 'Deputy', type: 'service', scopes });
      expect({ scopes, status: res.status, code: res.body?.error?.code }).toEqual({
        scopes,
        status: 400,
        code: 'reserved_scope',
      });
    }
    const own = await authz('POST', '/api/v1/clients', {
      name: 'Deputy',
      type: 'service',
      scopes: ['identity.users.read'],
    });
    expect(own.status).toBe(201);
    const widened = await authz('PATCH', `/api/v1/clients/${own.body.clientId}`, { scopes: ['identity.internal'] });
    expect([widened.status, widened.body?.error?.code]).toEqual([400, 'reserved_scope']);

    // The platform administrator: never identity.internal, and platform.admin only on a platform client.
    const asAdmin = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'Internal',
      type: 'service',
      scopes: ['identity.internal'],
    });
    expect([asAdmin.status, asAdmin.body?.error?.code]).toEqual([400, 'reserved_scope']);
    const tenantOperator = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'Tenant operator',
      type: 'service',
      tenantId: tenantA,
      scopes: ['platform.admin'],
    });
    expect([tenantOperator.status, tenantOperator.body?.error?.code]).toEqual([400, 'reserved_scope']);
    const platformOperator = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'Platform operator',
      type: 'service',
      scopes: ['platform.admin', 'identity.users.read'],
    });
    expect([platformOperator.status, platformOperator.body.tenantId]).toEqual([201, null]);
  });

  it('a client registered without scopes may ask for none: no platform.admin, no admin scope it was not given', async () => {
    const created = await authz('POST', '/api/v1/clients', { name: 'Scopeless', type: 'service' });
    expect(created.status).toBe(201);
    expect(created.body.metadata.scope).toBeUndefined();
    const token = (scope: string) =>
      fetchJson(`${platform.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: platform.basic(created.body.clientId, created.body.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: IDENTITY_API }),
      });
    for (const scope of ['platform.admin', 'platform.admin identity.tenants.read', 'identity.users.write']) {
      const res = await token(scope);
      expect({ scope, status: res.status, error: res.body.error }).toEqual({
        scope,
        status: 400,
        error: 'invalid_scope',
      });
    }
  });

  it('a tenant client that somehow holds platform.admin (an old registration) never gets it in a token', async () => {
    const secret = 'legacy-tenant-operator-secret-0123456789abcdef';
    await sqlRows(
      platform.authzDb.url,
      `INSERT INTO oauth_clients (client_id, tenant_id, name, metadata, secret_hash)
       VALUES ('legacy-tenant-operator', $1, 'Legacy tenant operator', $2, $3)`,
      [
        tenantA,
        {
          client_name: 'Legacy tenant operator',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
          scope: 'platform.admin identity.tenants.read',
        },
        sha256Hex(secret),
      ],
    );
    const res = await fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: platform.basic('legacy-tenant-operator', secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'platform.admin identity.tenants.read',
        resource: IDENTITY_API,
      }),
    });
    expect([res.status, res.body.error]).toEqual([400, 'invalid_scope']);
  });

  it('the token endpoint never issues identity.internal to a registered client, even one an old database lets ask for it', async () => {
    // A client registered before the scope was reserved, written straight into the database.
    const secret = 'legacy-internal-client-secret-0123456789abcdef';
    await sqlRows(
      platform.authzDb.url,
      `INSERT INTO oauth_clients (client_id, tenant_id, name, metadata, secret_hash)
       VALUES ('legacy-deputy', NULL, 'Legacy deputy', $1, $2)`,
      [
        {
          client_name: 'Legacy deputy',
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
          scope: 'identity.internal identity.users.read',
        },
        sha256Hex(secret),
      ],
    );
    const token = (scope: string) =>
      fetchJson(`${platform.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: platform.basic('legacy-deputy', secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: IDENTITY_API }),
      });
    const internal = await token('identity.internal');
    expect([internal.status, internal.body.error]).toEqual([400, 'invalid_scope']);
    const both = await token('identity.users.read identity.internal');
    expect([both.status, both.body.error]).toEqual([400, 'invalid_scope']);
    // Its other scopes keep working, and never carry the internal one.
    const plain = await token('identity.users.read');
    expect(plain.status).toBe(200);
    expect(plain.body.scope).toBe('identity.users.read');
    // Nor does admin-cli get it, whatever it asks.
    await expect(platform.adminToken('identity.internal', IDENTITY_API)).rejects.toThrow(/invalid_scope/);
  });

  it('the platform administrator still manages every tenant and the platform-wide resources', async () => {
    const all = await platform.authzAdmin('GET', '/api/v1/clients');
    const ids = all.body.map((c: { clientId: string }) => c.clientId);
    expect(ids).toEqual(expect.arrayContaining(['admin-cli', clientB.clientId, consoleA.clientId]));
    const onlyB = await platform.authzAdmin('GET', `/api/v1/clients?tenantId=${tenantB}`);
    expect(onlyB.body.map((c: { clientId: string }) => c.clientId)).toEqual([clientB.clientId]);
    expect((await platform.authzAdmin('GET', '/api/v1/signing-keys')).status).toBe(200);
    expect((await platform.authzAdmin('GET', '/api/v1/resource-servers')).status).toBe(200);
    expect((await platform.authzAdmin('GET', `/api/v1/clients/${clientB.clientId}`)).status).toBe(200);
  });
});
