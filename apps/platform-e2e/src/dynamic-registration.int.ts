import { Browser, fetchJson } from '@platform/testing';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { createHash } from 'node:crypto';
import { usePlatform } from './support/platform';
import { authorizationRequest, redeem, REDIRECT, type RelyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'partners register themselves';
const credentials = { login: 'ada@dcr.example', password: PASSWORD };

/**
 * Issue 13, cause 11: Dynamic Client Registration (RFC 7591) and its management (RFC 7592),
 * off by default; on, a partner registers with an initial access token an admin issued for a tenant.
 */
describe('dynamic client registration (RFC 7591/7592)', () => {
  const platform = usePlatform('dcr', { authz: { DYNAMIC_CLIENT_REGISTRATION: 'true' } });
  let tenantId: string;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('dcr')).id;
    await platform.createUser(tenantId, credentials.login, PASSWORD);
  });

  const registrationEndpoint = async () =>
    (await fetchJson(`${platform.issuer}/.well-known/openid-configuration`)).body.registration_endpoint as string;

  const register = (token: string | null, metadata: Record<string, unknown>) =>
    fetchJson(`${platform.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(metadata),
    });

  async function initialAccessToken(body: Record<string, unknown> = {}): Promise<string> {
    const res = await platform.authzAdmin('POST', `/api/v1/initial-access-tokens?tenantId=${tenantId}`, body);
    if (res.status !== 201) throw new Error(`initial access token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }

  const partner = {
    client_name: 'Partner Portal',
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    scope: 'openid profile email',
  };

  it('discovery lists the registration endpoint', async () => {
    expect(await registrationEndpoint()).toBe(`${platform.issuer}/reg`);
  });

  it('a registration without an initial access token is refused (401 invalid_token)', async () => {
    const res = await register(null, partner);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_token');
    const forged = await register('not-a-token', partner);
    expect(forged.status).toBe(401);
  });

  it("identity.internal (and platform.admin for a tenant's client) is refused as invalid_client_metadata", async () => {
    const token = await initialAccessToken();
    for (const scope of ['openid identity.internal', 'openid platform.admin']) {
      const res = await register(token, { ...partner, scope });
      expect({ scope, status: res.status, error: res.body.error }).toEqual({
        scope,
        status: 400,
        error: 'invalid_client_metadata',
      });
    }
    const publicWithClientCredentials = await register(token, {
      ...partner,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'client_credentials'],
    });
    expect(publicWithClientCredentials.status).toBe(400);
    expect(publicWithClientCredentials.body.error).toBe('invalid_client_metadata');
    const loopbackJwks = await register(token, {
      ...partner,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'http://127.0.0.1:9/jwks.json',
    });
    expect(loopbackJwks.status).toBe(400);
    expect(loopbackJwks.body.error).toBe('invalid_client_metadata');
  });

  it('a registration without scope gets the bounded sign-in default, never an API', async () => {
    const { scope: _none, ...withoutScope } = partner;
    const res = await register(await initialAccessToken(), withoutScope);
    expect(res.status).toBe(201);
    expect(res.body.scope.split(' ').sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
  });

  it('an initial access token with maxUses stops registering after them', async () => {
    const token = await initialAccessToken({ maxUses: 1 });
    expect((await register(token, partner)).status).toBe(201);
    const again = await register(token, partner);
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_token');
  });

  it("the admin's initial access token registers a tenant client that signs users in; RFC 7592 reads, updates and deletes it", async () => {
    const token = await initialAccessToken({ expiresInSeconds: 3600 });
    const res = await register(token, partner);
    expect(res.status).toBe(201);
    const registered = res.body;
    expect(registered).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      registration_access_token: expect.any(String),
      registration_client_uri: `${platform.issuer}/reg/${registered.client_id}`,
    });

    // Stored as the tenant's client, with the secret hashed (never in clear, not in the metadata either).
    const db = new Client({ connectionString: platform.authzDb.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT tenant_id, secret_hash, metadata FROM oauth_clients WHERE client_id = $1',
        [registered.client_id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].tenant_id).toBe(tenantId);
      expect(rows[0].secret_hash.trim()).toBe(createHash('sha256').update(registered.client_secret).digest('hex'));
      expect(JSON.stringify(rows[0].metadata)).not.toContain(registered.client_secret);
    } finally {
      await db.end();
    }

    // A code flow with openid-client, configured for the registered client.
    const config = await oidc.discovery(
      new URL(platform.issuer),
      registered.client_id,
      registered.client_secret,
      oidc.ClientSecretBasic(registered.client_secret),
      { execute: [oidc.allowInsecureRequests] },
    );
    const rp: RelyingParty = { clientId: registered.client_id, clientSecret: registered.client_secret, config };
    const request = await authorizationRequest(rp, 'openid email');
    const back = await signIn(new Browser(), request.url, REDIRECT, { ...credentials, consent: true });
    const tokens = await redeem(rp, back.location!, request);
    expect(tokens.claims()?.sub).toEqual(expect.any(String));
    expect(tokens.claims()?.tenant_id).toBe(tenantId);

    // RFC 7592 read, with the registration access token; the secret hash never leaves.
    const managed = (method: string, rat: string, body?: unknown) =>
      fetchJson(registered.registration_client_uri, {
        method,
        headers: { authorization: `Bearer ${rat}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
    const read = await managed('GET', registered.registration_access_token);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ client_id: registered.client_id, redirect_uris: [REDIRECT] });
    expect(JSON.stringify(read.body)).not.toContain(
      createHash('sha256').update(registered.client_secret).digest('hex'),
    );
    expect((await managed('GET', 'not-the-token')).status).toBe(401);

    // Update: new redirect URIs; the registration access token rotates, the secret keeps working.
    const { client_secret: _s, ...current } = read.body;
    const updated = await managed('PUT', registered.registration_access_token, {
      ...current,
      registration_access_token: undefined,
      registration_client_uri: undefined,
      client_id_issued_at: undefined,
      client_secret_expires_at: undefined,
      redirect_uris: ['https://app.example.test/new-callback'],
    });
    expect(updated.status).toBe(200);
    expect(updated.body.redirect_uris).toEqual(['https://app.example.test/new-callback']);
    const rat: string = updated.body.registration_access_token;
    expect(rat).not.toBe(registered.registration_access_token);
    expect((await managed('GET', registered.registration_access_token)).status).toBe(401);
    expect((await managed('GET', rat)).body.redirect_uris).toEqual(['https://app.example.test/new-callback']);
    const secretStillWorks = await fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: platform.basic(registered.client_id, registered.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? 'none' }),
    });
    expect(secretStillWorks.body.error).not.toBe('invalid_client');

    // Delete: the client is gone, its credentials fail at /token.
    expect((await managed('DELETE', rat)).status).toBe(204);
    const afterDelete = await fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: platform.basic(registered.client_id, registered.client_secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'whatever' }),
    });
    expect(afterDelete.status).toBe(401);
    expect(afterDelete.body.error).toBe('invalid_client');
  });

  it("openid-client's own dynamicClientRegistration registers a client with a secret", async () => {
    const config = await oidc.dynamicClientRegistration(
      new URL(platform.issuer),
      { ...partner, token_endpoint_auth_method: 'client_secret_post' },
      undefined,
      { initialAccessToken: await initialAccessToken(), execute: [oidc.allowInsecureRequests] },
    );
    const metadata = config.clientMetadata();
    expect(metadata.client_id).toEqual(expect.any(String));
    expect(metadata.client_secret).toEqual(expect.any(String));
    expect(config.serverMetadata().registration_endpoint).toBe(`${platform.issuer}/reg`);
  });

  it("initial access tokens are listed (never their value) and revoked by the tenant's admin", async () => {
    const token = await initialAccessToken({ maxUses: 3 });
    const list = await platform.authzAdmin('GET', `/api/v1/initial-access-tokens?tenantId=${tenantId}`);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    const mine = list.body.find((t: { maxUses?: number }) => t.maxUses === 3);
    expect(mine).toMatchObject({ id: expect.any(String), tenantId, uses: 0 });
    const revoked = await platform.authzAdmin(
      'DELETE',
      `/api/v1/initial-access-tokens/${mine.id}?tenantId=${tenantId}`,
    );
    expect(revoked.status).toBe(204);
    expect((await register(token, partner)).status).toBe(401);
  });
});

describe('dynamic client registration off (the default)', () => {
  const platform = usePlatform('dcr_off');

  it('discovery lists no registration endpoint and /reg does not exist', async () => {
    const discovery = await fetchJson(`${platform.issuer}/.well-known/openid-configuration`);
    expect(discovery.body.registration_endpoint).toBeUndefined();
    const res = await fetch(`${platform.issuer}/reg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT] }),
    });
    expect(res.status).toBe(404);
    const issued = await platform.authzAdmin('POST', '/api/v1/initial-access-tokens', {});
    expect(issued.status).toBe(409);
    expect(issued.body.error.code).toBe('dynamic_registration_disabled');
  });
});
