import { sha256Hex } from '@platform/crypto';
import { fetchJson, fetchJsonWithBearer, migratedDataSource } from '@platform/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { authzDataSourceOptions } from '../src/database/data-source';
import {
  AUTHZ_API_SCOPES_ADDED_LATER,
  IDENTITY_API_PERMISSIONS_ADDED_LATER,
  widenBootstrapScopes,
  widenScopePermissions,
} from '../src/oidc/bootstrap';
import { AUTHZ_API, IDENTITY_API, startAuthorizationServer, type AuthorizationServerUnderTest } from './authz-harness';

const ADMIN_SECRET = 'bootstrap-admin-cli-secret-for-api-key-tests-0123';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const API_KEY_TYPE = 'urn:identity-platform:token-type:api-key';
const KEY_ADMIN = 'authz.apikeys.read authz.apikeys.write authz.clients.write';

interface Registered {
  clientId: string;
  clientSecret: string;
}

/** Seed 002 API keys: management, introspection (RFC 7662) and exchange for a JWT (RFC 8693). */
describe('API keys', () => {
  let authz: AuthorizationServerUnderTest;
  let db: PgClient;
  const tenant = randomUUID();
  const otherTenant = randomUUID();
  let owner: Registered;
  let sameTenantGateway: Registered;
  let otherTenantGateway: Registered;
  let noExchange: Registered;

  const admin = async (method: string, path: string, body?: unknown, scope = KEY_ADMIN) => {
    const token = await authz.adminToken(scope);
    return fetchJsonWithBearer(`${authz.issuer}${path}`, token, method, body);
  };

  const register = async (name: string, extra: Record<string, unknown>): Promise<Registered> => {
    const res = await admin('POST', '/api/v1/clients', {
      name,
      type: 'service',
      grantTypes: ['client_credentials', TOKEN_EXCHANGE],
      scopes: ['identity.users.read', 'identity.users.write', 'identity.roles.read'],
      ...extra,
    });
    expect(res.status).toBe(201);
    return { clientId: res.body.clientId, clientSecret: res.body.clientSecret };
  };

  const createKey = async (body: Record<string, unknown>) => {
    const res = await admin('POST', '/api/v1/api-keys', {
      name: 'billing export',
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
      ...body,
    });
    if (res.status !== 201) throw new Error(`create key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; key: string; expiresAt: string };
  };

  const introspect = (caller: Registered, token: string) =>
    authz.postForm(caller.clientId, caller.clientSecret, '/tokens/introspect', { token });

  const exchange = (caller: Registered, subjectToken: string, extra: Record<string, string> = {}) =>
    authz.postForm(caller.clientId, caller.clientSecret, '/token', {
      grant_type: TOKEN_EXCHANGE,
      subject_token: subjectToken,
      subject_token_type: API_KEY_TYPE,
      ...extra,
    });

  beforeAll(async () => {
    authz = await startAuthorizationServer('authz_api_keys', ADMIN_SECRET);
    db = new PgClient({ connectionString: authz.db.url });
    await db.connect();
    owner = await register('key owner', { tenantId: tenant });
    sameTenantGateway = await register('gateway', { tenantId: tenant });
    otherTenantGateway = await register('other tenant gateway', { tenantId: otherTenant });
    noExchange = await register('no exchange', { tenantId: tenant, grantTypes: ['client_credentials'] });
  });

  afterAll(async () => {
    await db?.end();
    await authz?.stop();
  });

  it('shows the key once and stores only its SHA-256', async () => {
    const created = await createKey({ clientId: owner.clientId });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{20}$/),
      key: expect.stringMatching(/^ipk_[0-9a-f]{20}_[A-Za-z0-9_-]{43}$/),
      clientId: owner.clientId,
      tenantId: tenant,
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
      revokedAt: null,
      lastUsedAt: null,
      createdBy: 'admin-cli',
    });
    expect(created.key.startsWith(`ipk_${created.id}_`)).toBe(true);
    // Without expiresAt: the configured maximum (365 days by default).
    const days = (new Date(created.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);

    const { rows } = await db.query('SELECT * FROM api_keys WHERE id = $1', [created.id]);
    expect(rows[0].secret_hash).toBe(sha256Hex(created.key));
    // ipk_<id>_<secret>: the secret itself may contain underscores.
    expect(JSON.stringify(rows)).not.toContain(created.key.split('_').slice(2).join('_'));

    const listed = await admin('GET', `/api/v1/api-keys?clientId=${owner.clientId}`);
    expect(listed.status).toBe(200);
    expect(listed.body.map((k: { id: string }) => k.id)).toContain(created.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.key.split('_').slice(2).join('_'));
    for (const key of listed.body) expect(key).not.toHaveProperty('key');

    const one = await admin('GET', `/api/v1/api-keys/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('key');
    expect((await admin('GET', '/api/v1/api-keys/0000000000000000000f')).status).toBe(404);
  });

  it('answers introspection for its owner and its tenant, and active:false for anyone else', async () => {
    const { id, key, expiresAt } = await createKey({ clientId: owner.clientId, scopes: ['identity.users.read'] });

    const byOwner = await introspect(owner, key);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toMatchObject({
      active: true,
      scope: 'identity.users.read',
      aud: IDENTITY_API,
      sub: owner.clientId,
      client_id: owner.clientId,
      tenant_id: tenant,
      exp: Math.floor(new Date(expiresAt).getTime() / 1000),
      iss: authz.issuer,
      api_key_id: id,
    });
    expect((await introspect(sameTenantGateway, key)).body).toMatchObject({ active: true, client_id: owner.clientId });
    expect((await introspect(otherTenantGateway, key)).body).toEqual({ active: false });

    // Use is recorded (at most once a minute).
    const { rows } = await db.query('SELECT last_used_at FROM api_keys WHERE id = $1', [id]);
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
    expect((await admin('GET', `/api/v1/api-keys/${id}`)).body.lastUsedAt).not.toBeNull();

    // Unknown, tampered and malformed keys; a wrong client secret is still a client authentication failure.
    const unknown = `ipk_${'a'.repeat(20)}_${'b'.repeat(43)}`;
    expect((await introspect(owner, unknown)).body).toEqual({ active: false });
    expect((await introspect(owner, `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).body).toEqual({
      active: false,
    });
    expect((await introspect(owner, 'ipk_nope')).body).toEqual({ active: false });
    const badClient = await authz.postForm(owner.clientId, 'wrong-secret', '/tokens/introspect', { token: key });
    expect(badClient.status).toBe(401);
    expect(badClient.body.error).toBe('invalid_client');

    // Other tokens keep their own answers: a JWT access token its client introspects is active (RFC 7662; issue 13 cause 8).
    const accessToken = await authz.clientToken(
      owner.clientId,
      owner.clientSecret,
      'identity.users.read',
      IDENTITY_API,
    );
    expect((await introspect(owner, accessToken)).body).toMatchObject({ active: true, client_id: owner.clientId });
  });

  it('belongs to a tenant without an owning client: its clients may use it', async () => {
    const { id, key } = await createKey({ tenantId: tenant, scopes: ['identity.users.read', 'identity.roles.read'] });
    expect((await introspect(sameTenantGateway, key)).body).toMatchObject({
      active: true,
      sub: `api-key:${id}`,
      client_id: `api-key:${id}`,
      tenant_id: tenant,
      scope: 'identity.users.read identity.roles.read',
    });
    expect((await introspect(otherTenantGateway, key)).body).toEqual({ active: false });
  });

  it('stops working when revoked or expired', async () => {
    const revoked = await createKey({ clientId: owner.clientId });
    expect((await introspect(owner, revoked.key)).body.active).toBe(true);
    expect((await admin('DELETE', `/api/v1/api-keys/${revoked.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/api/v1/api-keys/${revoked.id}`)).status).toBe(204);
    expect((await introspect(owner, revoked.key)).body).toEqual({ active: false });
    expect((await exchange(owner, revoked.key)).body).toMatchObject({ error: 'invalid_request' });
    const view = await admin('GET', `/api/v1/api-keys/${revoked.id}`);
    expect(view.body.revokedAt).not.toBeNull();
    expect((await admin('DELETE', '/api/v1/api-keys/0000000000000000000f')).status).toBe(404);

    // Deleting the owning client deletes its keys.
    const shortLived = await register('short-lived owner', { tenantId: tenant });
    const orphan = await createKey({ clientId: shortLived.clientId });
    expect((await introspect(sameTenantGateway, orphan.key)).body.active).toBe(true);
    expect((await admin('DELETE', `/api/v1/clients/${shortLived.clientId}`)).status).toBe(204);
    expect((await introspect(sameTenantGateway, orphan.key)).body).toEqual({ active: false });
    expect((await db.query('SELECT 1 FROM api_keys WHERE id = $1', [orphan.id])).rowCount).toBe(0);

    const soon = await createKey({ clientId: owner.clientId, expiresAt: new Date(Date.now() + 2_000).toISOString() });
    expect((await introspect(owner, soon.key)).body.active).toBe(true);
    // What it is exchanged for does not outlive it.
    const capped = await exchange(owner, soon.key);
    expect(capped.status).toBe(200);
    expect(capped.body.expires_in).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await introspect(owner, soon.key)).body).toEqual({ active: false });
    expect((await exchange(owner, soon.key)).body).toMatchObject({ error: 'invalid_request' });
  });

  it('is exchanged for a short-lived RFC 9068 JWT with the audience and scopes of the key (RFC 8693)', async () => {
    const { key } = await createKey({
      clientId: owner.clientId,
      scopes: ['identity.users.read', 'identity.users.write'],
    });
    const res = await exchange(owner, key);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      scope: 'identity.users.read identity.users.write',
    });
    expect(res.body.expires_in).toBeLessThanOrEqual(900);
    expect(res.body).not.toHaveProperty('refresh_token');
    expect(decodeProtectedHeader(res.body.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    const { payload } = await jwtVerify(res.body.access_token, createRemoteJWKSet(new URL(`${authz.issuer}/jwks`)), {
      issuer: authz.issuer,
      audience: IDENTITY_API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      client_id: owner.clientId,
      sub: owner.clientId,
      scope: 'identity.users.read identity.users.write',
      tenant_id: tenant,
    });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);

    // A narrower scope is honoured; naming the key's resource explicitly is fine.
    const narrower = await exchange(owner, key, { scope: 'identity.users.read', resource: IDENTITY_API });
    expect(narrower.status).toBe(200);
    expect(narrower.body.scope).toBe('identity.users.read');

    // A client of the key's tenant (a gateway) may exchange it too.
    expect((await exchange(sameTenantGateway, key)).status).toBe(200);
  });

  it('never issues more than the key allows, and refuses bad exchanges with OAuth errors', async () => {
    const { key } = await createKey({ clientId: owner.clientId, scopes: ['identity.users.read'] });
    const wider = await exchange(owner, key, { scope: 'identity.users.read identity.users.write' });
    expect(wider.status).toBe(400);
    expect(wider.body).toMatchObject({ error: 'invalid_scope', scope: 'identity.users.write' });

    const otherResource = await exchange(owner, key, { resource: AUTHZ_API });
    expect(otherResource.status).toBe(400);
    expect(otherResource.body.error).toBe('invalid_target');

    const wrongType = await exchange(owner, key, {
      subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toBe('invalid_request');

    const unknownKey = await exchange(owner, `ipk_${'c'.repeat(20)}_${'d'.repeat(43)}`);
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error).toBe('invalid_request');

    expect((await exchange(otherTenantGateway, key)).body.error).toBe('invalid_request');

    const missing = await authz.postForm(owner.clientId, owner.clientSecret, '/token', { grant_type: TOKEN_EXCHANGE });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');

    // A client that did not register the grant type.
    const notRegistered = await exchange(noExchange, key);
    expect(notRegistered.status).toBe(400);
    expect(notRegistered.body.error).toBe('unauthorized_client');
  });

  it('refuses bad input with 400 and a code, writing nothing', async () => {
    const before = Number((await db.query('SELECT count(*) FROM api_keys')).rows[0].count);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', clientId: owner.clientId }, 'validation_failed'],
      [{ clientId: owner.clientId, scopes: [] }, 'validation_failed'],
      [{ clientId: owner.clientId, scopes: ['bad scope'] }, 'validation_failed'],
      [{ clientId: owner.clientId, expiresAt: 'tomorrow' }, 'validation_failed'],
      [{ clientId: owner.clientId, secret: 'chosen' }, 'validation_failed'],
      [{}, 'api_key_owner_required'],
      [{ clientId: 'no-such-client' }, 'unknown_client'],
      [{ clientId: owner.clientId, tenantId: otherTenant }, 'tenant_mismatch'],
      [{ clientId: owner.clientId, audience: 'https://nowhere.example' }, 'unknown_resource'],
      [{ clientId: owner.clientId, scopes: ['authz.clients.write'] }, 'invalid_scope'],
      [{ tenantId: tenant, scopes: ['identity.internal'] }, 'invalid_scope'],
      // The owner client registered identity.users.* and identity.roles.read only.
      [{ clientId: owner.clientId, scopes: ['identity.tenants.read'] }, 'invalid_scope'],
      [{ clientId: owner.clientId, expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'invalid_expiry'],
      [
        { clientId: owner.clientId, expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() },
        'invalid_expiry',
      ],
    ];
    for (const [body, code] of cases) {
      const res = await admin('POST', '/api/v1/api-keys', {
        name: 'bad',
        audience: IDENTITY_API,
        scopes: ['identity.users.read'],
        ...body,
      });
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code });
    }
    const after = Number((await db.query('SELECT count(*) FROM api_keys')).rows[0].count);
    expect(after).toBe(before);
  });

  it('needs the api key scopes, and keeps a tenant-bound caller within its tenant', async () => {
    const anonymous = await fetchJson(`${authz.issuer}/api/v1/api-keys`);
    expect(anonymous.status).toBe(401);
    const readOnly = await admin('POST', '/api/v1/api-keys', { name: 'x' }, 'authz.apikeys.read');
    expect(readOnly.status).toBe(403);

    const otherKey = await createKey({ tenantId: otherTenant });
    // A tenant's own administration client: its tokens carry its tenant.
    const tenantAdmin = await register('tenant key admin', {
      tenantId: tenant,
      grantTypes: ['client_credentials'],
      scopes: ['authz.apikeys.read', 'authz.apikeys.write'],
    });
    const token = await authz.clientToken(
      tenantAdmin.clientId,
      tenantAdmin.clientSecret,
      'authz.apikeys.read authz.apikeys.write',
      AUTHZ_API,
    );
    const asTenant = (method: string, path: string, body?: unknown) =>
      fetchJsonWithBearer(`${authz.issuer}${path}`, token, method, body);
    const own = await asTenant('POST', '/api/v1/api-keys', {
      name: 'tenant key',
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
    });
    expect(own.status).toBe(201);
    expect(own.body.tenantId).toBe(tenant);
    const foreign = await asTenant('POST', '/api/v1/api-keys', {
      name: 'foreign',
      tenantId: otherTenant,
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
    });
    // Another tenant does not exist for it (as @ScopedTenant answers everywhere).
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    const foreignClient = await asTenant('POST', '/api/v1/api-keys', {
      name: 'foreign',
      clientId: otherTenantGateway.clientId,
      audience: IDENTITY_API,
      scopes: ['identity.users.read'],
    });
    expect(foreignClient.body.error.code).toBe('unknown_client');

    const listed = await asTenant('GET', '/api/v1/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.body.length).toBeGreaterThan(0);
    expect(listed.body.every((k: { tenantId: string }) => k.tenantId === tenant)).toBe(true);
    expect((await asTenant('GET', `/api/v1/api-keys?tenantId=${otherTenant}`)).status).toBe(404);
    expect((await asTenant('GET', `/api/v1/api-keys/${otherKey.id}`)).status).toBe(404);
    expect((await asTenant('DELETE', `/api/v1/api-keys/${otherKey.id}`)).status).toBe(404);
    expect((await introspect(otherTenantGateway, otherKey.key)).body.active).toBe(true);
  });

  it('gives databases bootstrapped before API keys the new management scopes', async () => {
    await db.query(
      `UPDATE resource_servers SET scopes = array_remove(array_remove(scopes, 'authz.apikeys.read'), 'authz.apikeys.write')
        WHERE identifier = $1`,
      [AUTHZ_API],
    );
    await db.query(
      `UPDATE oauth_clients SET metadata = jsonb_set(metadata, '{scope}',
         to_jsonb(replace(replace(metadata->>'scope', ' authz.apikeys.read', ''), ' authz.apikeys.write', '')))
        WHERE client_id = 'admin-cli'`,
    );
    const dataSource = await migratedDataSource(
      authzDataSourceOptions({ DATABASE_URL: authz.db.url, DATABASE_POOL_SIZE: 1 }),
    );
    try {
      expect(await widenBootstrapScopes(dataSource, AUTHZ_API)).toEqual([
        `${AUTHZ_API_SCOPES_ADDED_LATER.join(' ')} added to resource server ${AUTHZ_API} and client admin-cli`,
      ]);
      expect(await widenBootstrapScopes(dataSource, AUTHZ_API)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
    const { rows } = await db.query(
      `SELECT (SELECT scopes FROM resource_servers WHERE identifier = $1) AS scopes,
              (SELECT metadata->>'scope' FROM oauth_clients WHERE client_id = 'admin-cli') AS scope`,
      [AUTHZ_API],
    );
    expect(rows[0].scopes).toEqual(
      expect.arrayContaining(['authz.apikeys.read', 'authz.apikeys.write', 'authz.keys.read']),
    );
    expect(rows[0].scope.split(' ')).toEqual(expect.arrayContaining(['authz.apikeys.read', 'authz.apikeys.write']));
  });

  it('maps permissions added later (users:impersonate) onto the identity API scopes of older databases', async () => {
    await db.query(
      `UPDATE resource_servers
          SET scope_permissions = jsonb_set(scope_permissions, '{identity.users.write}', '["users:write"]')
        WHERE identifier = $1`,
      [IDENTITY_API],
    );
    const mapping = async () =>
      (await db.query(`SELECT scope_permissions FROM resource_servers WHERE identifier = $1`, [IDENTITY_API])).rows[0]
        .scope_permissions;
    const before = await mapping();
    const dataSource = await migratedDataSource(
      authzDataSourceOptions({ DATABASE_URL: authz.db.url, DATABASE_POOL_SIZE: 1 }),
    );
    try {
      expect(await widenScopePermissions(dataSource, IDENTITY_API, IDENTITY_API_PERMISSIONS_ADDED_LATER)).toEqual([
        `users:impersonate added to scope identity.users.write of ${IDENTITY_API}`,
      ]);
      expect(await widenScopePermissions(dataSource, IDENTITY_API, IDENTITY_API_PERMISSIONS_ADDED_LATER)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
    expect(await mapping()).toEqual({ ...before, 'identity.users.write': ['users:write', 'users:impersonate'] });
  });
});
