import { Browser, fetchJson, fetchJsonWithBearer, testSmtpUrl, waitForMail } from '@platform/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'seed flows end to end, please';

/**
 * The seed 002 flows not covered elsewhere in this project, as API-level tests with openid-client
 * against both built services: client credentials, introspection and revocation, and
 * registration → email verification (link from the SMTP server) → profile → roles, with the
 * roles arriving in the user's tokens and opening the identity API to them.
 */
describe('seed 002 flows through both services', () => {
  const platform = usePlatform('seed_flows', {
    identity: { SMTP_URL: testSmtpUrl(), ACCOUNT_URL: 'https://accounts.example.test' },
  });
  let tenant: { id: string; slug: string };

  beforeAll(async () => {
    tenant = await platform.createTenant('seedling', { selfRegistration: true });
    await platform.createUser(tenant.id, 'existing@seedling.example', PASSWORD);
  });

  it('client credentials (pattern 4): a partner service gets an RFC 9068 token scoped to its tenant', async () => {
    const partner = await relyingParty(platform, {
      name: 'Billing sync',
      type: 'service',
      tenantId: tenant.id,
      redirectUris: [],
      scopes: ['identity.users.read'],
    });
    const tokens = await oidc.clientCredentialsGrant(partner.config, {
      scope: 'identity.users.read',
      resource: IDENTITY_API,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(
      tokens.access_token,
      createRemoteJWKSet(new URL(`${platform.issuer}/jwks`)),
      { issuer: platform.issuer, audience: IDENTITY_API, typ: 'at+jwt' },
    );
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      sub: partner.clientId,
      client_id: partner.clientId,
      tenant_id: tenant.id,
      scope: 'identity.users.read',
    });
    const users = await fetchJson(`${platform.identityUrl}/api/v1/users`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(users.status).toBe(200);
    expect(users.body.items.map((u: { email: string }) => u.email)).toContain('existing@seedling.example');
    // A scope the client was not registered for is refused.
    await expect(
      oidc.clientCredentialsGrant(partner.config, { scope: 'identity.users.write', resource: IDENTITY_API }),
    ).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('introspection (RFC 7662) and revocation (RFC 7009) of access and refresh tokens', async () => {
    const app = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: tenant.id });
    const request = await authorizationRequest(app, 'openid offline_access', { prompt: 'consent' });
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'existing@seedling.example',
      password: PASSWORD,
    });
    const tokens = await redeem(app, back.location!, request);
    const sub = tokens.claims()!.sub;

    const access = await oidc.tokenIntrospection(app.config, tokens.access_token);
    expect(access).toMatchObject({ active: true, client_id: app.clientId, sub, token_type: 'Bearer' });
    const refresh = await oidc.tokenIntrospection(app.config, tokens.refresh_token!, {
      token_type_hint: 'refresh_token',
    });
    expect(refresh).toMatchObject({ active: true, client_id: app.clientId, sub });

    await oidc.tokenRevocation(app.config, tokens.access_token, { token_type_hint: 'access_token' });
    expect((await oidc.tokenIntrospection(app.config, tokens.access_token)).active).toBe(false);
    const userinfo = await fetch(`${platform.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);

    await oidc.tokenRevocation(app.config, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    expect((await oidc.tokenIntrospection(app.config, tokens.refresh_token!)).active).toBe(false);
    await expect(oidc.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('registration (pattern 3) → verification link from the mail → profile → roles, seen through both services', async () => {
    const email = 'newcomer@seedling.example';
    const registered = await fetchJson(`${platform.identityUrl}/api/v1/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'seedling', email, password: PASSWORD }),
    });
    expect(registered.status).toBe(202);

    // The link arrives through the real SMTP server; the account page it points to posts its token.
    const mail = await waitForMail(email, /confirm your email/);
    const link = new URL(/https:\/\/accounts\.example\.test\/account\/verify-email\?token=[\w-]+/.exec(mail.text)![0]);
    const confirm = () =>
      fetchJson(`${platform.identityUrl}/api/v1/email-verifications/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: link.searchParams.get('token') }),
      });
    expect((await confirm()).status).toBe(204);
    expect((await confirm()).status).toBe(400);

    // The new user signs in to the tenant's first-party app and edits their own profile.
    const app: RelyingParty = await relyingParty(platform, {
      name: 'Seedling portal',
      type: 'spa',
      trusted: true,
      tenantId: tenant.id,
      scopes: ['openid', 'profile', 'email', 'roles', 'identity.users.read'],
    });
    /** Signs in; with `forIdentityApi` the access token is for the identity API, otherwise for /userinfo. */
    const signedIn = async (forIdentityApi: boolean) => {
      const request = forIdentityApi
        ? await authorizationRequest(app, 'openid identity.users.read', { resource: IDENTITY_API })
        : await authorizationRequest(app, 'openid profile email roles');
      const back = await signIn(new Browser(), request.url, REDIRECT, { login: email, password: PASSWORD });
      return redeem(app, back.location!, request);
    };
    const first = await signedIn(true);
    const userId = first.claims()!.sub;
    const asUser = (token: string, method = 'GET', path = '/api/v1/me', body?: unknown) =>
      fetchJsonWithBearer(`${platform.identityUrl}${path}`, token, method, body);
    const profile = await asUser(first.access_token, 'PUT', '/api/v1/me/profile', {
      given_name: 'Nina',
      family_name: 'Newcomer',
      locale: 'en-GB',
    });
    expect(profile.status).toBe(200);
    expect((await asUser(first.access_token)).body).toMatchObject({ id: userId, email, emailVerified: true });
    // Without a role, the user's token does not open the admin part of the identity API.
    expect((await asUser(first.access_token, 'GET', '/api/v1/users')).status).toBe(403);

    // An operator gives the user a role through the identity backend...
    const role = await platform.identityAdmin('POST', `/api/v1/roles?tenantId=${tenant.id}`, {
      name: 'directory-reader',
      permissions: ['users:read'],
    });
    expect(role.status).toBe(201);
    const assigned = await platform.identityAdmin('POST', `/api/v1/users/${userId}/roles?tenantId=${tenant.id}`, {
      roleIds: [role.body.id],
    });
    expect(assigned.status).toBe(200);

    // ...and the authorization server puts it into the next tokens and userinfo.
    const forUserinfo = await signedIn(false);
    const userinfo = await oidc.fetchUserInfo(app.config, forUserinfo.access_token, userId);
    expect(userinfo).toMatchObject({
      sub: userId,
      email,
      email_verified: true,
      given_name: 'Nina',
      family_name: 'Newcomer',
      locale: 'en-GB',
      roles: ['directory-reader'],
      permissions: ['users:read'],
    });
    const second = await signedIn(true);
    const claims = JSON.parse(Buffer.from(second.access_token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: userId, tenant_id: tenant.id, permissions: ['users:read'] });
    const directory = await asUser(second.access_token, 'GET', '/api/v1/users');
    expect(directory.status).toBe(200);
    expect(directory.body.items.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining([email, 'existing@seedling.example']),
    );
  });
});
