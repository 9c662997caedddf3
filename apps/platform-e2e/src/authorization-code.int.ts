import { Browser } from '@platform/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { signIn } from './support/sign-in';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';
const PASSWORD = 'correct horse battery staple 42';

/** Seed 002 pattern 1: an app signs a user in with code + PKCE through a certified RP library (openid-client). */
describe('authorization code + PKCE with the hosted login', () => {
  const platform = usePlatform('code_flow');
  let tenant: { id: string; slug: string };
  let user: { id: string; email: string };

  beforeAll(async () => {
    tenant = await platform.createTenant('acme');
    user = await platform.createUser(tenant.id, 'ada@acme.example', PASSWORD);
  });

  it('signs a user in, shows consent to a third-party app, and returns verifiable tokens and userinfo', async () => {
    const rp = await relyingParty(platform, { type: 'spa', tenantId: tenant.id });
    // OIDC Core §11: offline_access (a refresh token) only with an explicit consent prompt.
    const request = await authorizationRequest(rp, 'openid profile email offline_access identity.users.read', {
      resource: IDENTITY_API,
      prompt: 'consent',
    });
    const back = await signIn(new Browser(), request.url, REDIRECT, { login: 'ADA@acme.example', password: PASSWORD });
    expect(back.steps).toEqual(['login', 'consent']);
    const callback = new URL(back.location!);
    // RFC 9207: the authorization response names its issuer.
    expect(callback.searchParams.get('iss')).toBe(platform.issuer);

    const tokens = await redeem(rp, back.location!, request);
    const idClaims = tokens.claims()!;
    expect(idClaims).toMatchObject({ sub: user.id, aud: rp.clientId, iss: platform.issuer, amr: ['pwd'] });
    expect(tokens.refresh_token).toBeTruthy();

    // The access token is an RFC 9068 JWT for the identity API, verifiable against /jwks.
    const jwks = createRemoteJWKSet(new URL(`${platform.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: platform.issuer,
      audience: IDENTITY_API,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: user.id, client_id: rp.clientId, tenant_id: tenant.id });
    expect(String(payload.scope).split(' ')).toContain('identity.users.read');

    // The identity backend accepts it: the user reads their own profile.
    const me = await fetch(`${platform.identityUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: user.id, email: 'ada@acme.example' });
  });

  it('skips consent for a trusted first-party app and serves userinfo filtered by the granted scopes', async () => {
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: tenant.id });
    const request = await authorizationRequest(rp, 'openid email');
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'ada@acme.example',
      password: PASSWORD,
      consent: false,
    });
    expect(back.steps).toEqual(['login']);
    const tokens = await redeem(rp, back.location!, request);
    const info = await oidc.fetchUserInfo(rp.config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: 'ada@acme.example', email_verified: true, tenant_id: tenant.id });
    expect(info).not.toHaveProperty('name');
    expect(info).not.toHaveProperty('roles');
  });
});
