import { fetchJson } from '@platform/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as speakeasy from 'speakeasy';
import { IDENTITY_API, usePlatform } from './support/platform';

const PASSWORD = 'resource owners type passwords';
const INVALID = { error: 'invalid_grant', error_description: 'invalid username or password' };

/** Seed 002 "Resource Owner Password Flow (limited use)": opt-in per confidential client, through both services. */
describe('resource owner password credentials grant', () => {
  // No reuse leeway: these tests replay a rotated refresh token at once (the leeway has its own suite).
  const platform = usePlatform('password_grant', { authz: { REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: '0' } });
  let tenantId: string;
  let user: { id: string; email: string };
  let optedIn: { clientId: string; clientSecret: string };
  let notOptedIn: { clientId: string; clientSecret: string };

  const token = (client: { clientId: string; clientSecret: string }, body: Record<string, string>) =>
    fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: platform.basic(client.clientId, client.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });

  const passwordGrant = (username: string, password: string, extra: Record<string, string> = {}) =>
    token(optedIn, { grant_type: 'password', username, password, ...extra });

  beforeAll(async () => {
    tenantId = (await platform.createTenant('ropc')).id;
    user = await platform.createUser(tenantId, 'ada@ropc.example', PASSWORD);
    await platform.createUser(tenantId, 'grace@ropc.example', PASSWORD);
    const scopes = ['openid', 'profile', 'email', 'offline_access', 'identity.users.read'];
    const opted = await platform.createClient({
      name: 'Legacy desktop app',
      type: 'confidential',
      tenantId,
      grantTypes: ['password', 'refresh_token'],
      redirectUris: [],
      scopes,
    });
    optedIn = { clientId: opted.clientId, clientSecret: opted.clientSecret! };
    const regular = await platform.createClient({
      name: 'Regular web app',
      type: 'confidential',
      tenantId,
      redirectUris: ['https://app.example.test/callback'],
      scopes,
    });
    notOptedIn = { clientId: regular.clientId, clientSecret: regular.clientSecret! };
  });

  it("issues the user's RFC 9068 access token and a rotating refresh token to an opted-in client", async () => {
    const res = await passwordGrant('ada@ropc.example', PASSWORD, {
      scope: 'openid offline_access identity.users.read',
      resource: IDENTITY_API,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'identity.users.read' });
    expect(res.body.refresh_token).toEqual(expect.any(String));
    const jwks = createRemoteJWKSet(new URL(`${platform.issuer}/jwks`));
    const { payload } = await jwtVerify(res.body.access_token, jwks, {
      issuer: platform.issuer,
      audience: IDENTITY_API,
      typ: 'at+jwt',
    });
    expect(payload).toMatchObject({
      sub: user.id,
      client_id: optedIn.clientId,
      tenant_id: tenantId,
      scope: 'identity.users.read',
      roles: expect.any(Array),
      permissions: expect.any(Array),
    });

    // The identity backend takes it as the user's token.
    const me = await fetchJson(`${platform.identityUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${res.body.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: 'ada@ropc.example' });

    // Refresh rotates; the rotated token cannot be used again (the whole grant goes).
    const refreshed = await token(optedIn, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(res.body.refresh_token);
    const refreshedPayload = (await jwtVerify(refreshed.body.access_token, jwks, { audience: IDENTITY_API })).payload;
    expect(refreshedPayload).toMatchObject({ sub: user.id, scope: 'identity.users.read' });
    const reused = await token(optedIn, { grant_type: 'refresh_token', refresh_token: res.body.refresh_token });
    expect(reused.body.error).toBe('invalid_grant');
    const afterReuse = await token(optedIn, {
      grant_type: 'refresh_token',
      refresh_token: refreshed.body.refresh_token,
    });
    expect(afterReuse.body.error).toBe('invalid_grant');
  });

  it('issues a token for /userinfo, without a refresh token unless offline_access is asked for', async () => {
    const res = await passwordGrant('ada@ropc.example', PASSWORD, { scope: 'openid email' });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('refresh_token');
    const userinfo = await fetchJson(`${platform.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${res.body.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(userinfo.body).toMatchObject({ sub: user.id, email: 'ada@ropc.example' });
  });

  it('answers a wrong password, an unknown user and an unknown user with a wrong password alike', async () => {
    const answers = await Promise.all([
      passwordGrant('ada@ropc.example', 'not the password at all'),
      passwordGrant('nobody@ropc.example', PASSWORD),
      passwordGrant('nobody@ropc.example', 'not the password at all'),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual(INVALID);
    }
    const missing = await token(optedIn, { grant_type: 'password', username: 'ada@ropc.example' });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
    const notAllowed = await passwordGrant('ada@ropc.example', PASSWORD, {
      scope: 'identity.users.write',
      resource: IDENTITY_API,
    });
    expect(notAllowed.status).toBe(400);
    expect(notAllowed.body.error).toBe('invalid_scope');
  });

  it('refuses a user with a second factor: that needs the authorization code flow', async () => {
    // Enrol TOTP with the user's own token (from this very grant, before the second factor exists).
    const first = await passwordGrant('grace@ropc.example', PASSWORD, {
      scope: 'identity.users.read',
      resource: IDENTITY_API,
    });
    expect(first.status).toBe(200);
    const auth = { authorization: `Bearer ${first.body.access_token}`, 'content-type': 'application/json' };
    const enrollment = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp`, { method: 'POST', headers: auth });
    expect(enrollment.status).toBe(201);
    const code = speakeasy.totp({ secret: enrollment.body.secret, encoding: 'base32' });
    const confirmed = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp/confirm`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code }),
    });
    expect(confirmed.status).toBe(200);

    const refused = await passwordGrant('grace@ropc.example', PASSWORD);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: 'invalid_grant',
      error_description: 'multi-factor authentication required; use the authorization code flow',
    });
    // A wrong password for that user still says only that.
    expect((await passwordGrant('grace@ropc.example', 'not the password at all')).body).toEqual(INVALID);
  });

  it('stays refused to clients that did not opt in, and cannot be given to public clients', async () => {
    const res = await token(notOptedIn, { grant_type: 'password', username: 'ada@ropc.example', password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unauthorized_client');
    expect(res.body).not.toHaveProperty('access_token');

    const spa = await platform.authzAdmin('POST', '/api/v1/clients', {
      name: 'SPA wanting passwords',
      type: 'spa',
      grantTypes: ['password'],
      redirectUris: ['https://spa.example.test/callback'],
    });
    expect(spa.status).toBe(400);
    expect(spa.body.error.code).toBe('invalid_client_metadata');
  });
});
