import { Browser } from '@platform/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { signIn } from './support/sign-in';
import { IDENTITY_API, type Platform, startPlatform } from './support/platform';

const REDIRECT = 'https://app.example.test/callback';
const PASSWORD = 'correct horse battery staple 42';

/** Seed 002 pattern 1: an app signs a user in with code + PKCE through a certified RP library (openid-client). */
describe('authorization code + PKCE with the hosted login', () => {
  let platform: Platform;
  let tenant: { id: string; slug: string };
  let user: { id: string; email: string };

  beforeAll(async () => {
    platform = await startPlatform('code_flow');
    tenant = await platform.createTenant('acme');
    user = await platform.createUser(tenant.id, 'ada@acme.example', PASSWORD);
  });

  afterAll(() => platform?.stop());

  async function relyingParty(registration: { type: 'spa' | 'confidential'; trusted?: boolean }) {
    const { clientId, clientSecret } = await platform.createClient({
      name: 'Acme Portal',
      redirectUris: [REDIRECT],
      tenantId: tenant.id,
      scopes: ['openid', 'profile', 'email', 'offline_access', 'identity.users.read'],
      ...registration,
    });
    const config = await oidc.discovery(
      new URL(platform.issuer),
      clientId,
      clientSecret ?? undefined,
      clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
      { execute: [oidc.allowInsecureRequests] },
    );
    return { clientId, config };
  }

  async function authorizationUrl(config: oidc.Configuration, scope: string, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope,
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url: url.toString(), verifier, state };
  }

  it('signs a user in, shows consent to a third-party app, and returns verifiable tokens and userinfo', async () => {
    const { config, clientId } = await relyingParty({ type: 'spa' });
    // OIDC Core §11: offline_access (a refresh token) only with an explicit consent prompt.
    const request = await authorizationUrl(config, 'openid profile email offline_access identity.users.read', {
      resource: IDENTITY_API,
      prompt: 'consent',
    });
    const browser = new Browser();
    const consentSeen = { value: false };
    const back = await signIn(browser, request.url, REDIRECT, {
      login: 'ADA@acme.example',
      password: PASSWORD,
    }).then((page) => {
      consentSeen.value = true;
      return page;
    });
    const callback = new URL(back.location!);
    // RFC 9207: the authorization response names its issuer.
    expect(callback.searchParams.get('iss')).toBe(platform.issuer);

    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
    });
    const idClaims = tokens.claims()!;
    expect(idClaims).toMatchObject({ sub: user.id, aud: clientId, iss: platform.issuer });
    expect(tokens.refresh_token).toBeTruthy();

    // The access token is an RFC 9068 JWT for the identity API, verifiable against /jwks.
    const jwks = createRemoteJWKSet(new URL(`${platform.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: platform.issuer,
      audience: IDENTITY_API,
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: user.id, client_id: clientId, tenant_id: tenant.id });
    expect(String(payload.scope).split(' ')).toContain('identity.users.read');

    // The identity backend accepts it: the user reads their own profile.
    const me = await fetch(`${platform.identityUrl}/api/v1/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: user.id, email: 'ada@acme.example' });
  });

  it('skips consent for a trusted first-party app and serves userinfo filtered by the granted scopes', async () => {
    const { config } = await relyingParty({ type: 'confidential', trusted: true });
    const request = await authorizationUrl(config, 'openid email');
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'ada@acme.example',
      password: PASSWORD,
      consent: false,
    });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(back.location!), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
    });
    const info = await oidc.fetchUserInfo(config, tokens.access_token, user.id);
    expect(info).toMatchObject({ sub: user.id, email: 'ada@acme.example', email_verified: true, tenant_id: tenant.id });
    expect(info).not.toHaveProperty('name');
    expect(info).not.toHaveProperty('roles');
  });
});
