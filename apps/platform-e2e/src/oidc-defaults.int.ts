import { Browser, fetchJson } from '@platform/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { oauthCalls } from './support/oauth-calls';
import { IDENTITY_API, usePlatform } from './support/platform';
import { REDIRECT, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'certified relying parties 4 all';
const credentials = { login: 'grace@defaults.example', password: PASSWORD };

/**
 * Issue 13, causes 1, 2, 3, 6, 7 and 9: a relying party built on a certified library (openid-client)
 * with its defaults — a confidential client with client_secret_basic, state and nonce, no PKCE, no
 * algorithm configured — signs users in and gets what OpenID Connect promises it.
 */
describe('OIDC defaults of certified relying parties', () => {
  const platform = usePlatform('oidc_defaults');
  let calls: ReturnType<typeof oauthCalls>;
  let tenantId: string;
  let userId: string;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    calls = oauthCalls(platform);
    tenantId = (await platform.createTenant('defaults')).id;
    const created = await platform.identityAdmin('POST', '/api/v1/users', {
      tenantId,
      email: credentials.login,
      password: PASSWORD,
      emailVerified: true,
      profile: { name: 'Grace Hopper' },
    });
    if (created.status !== 201) throw new Error(`user: ${created.status} ${JSON.stringify(created.body)}`);
    userId = created.body.id;
    jwks = createRemoteJWKSet(new URL(`${platform.issuer}/jwks`));
  });

  /** An authorization URL as openid-client builds it for a confidential client: state and nonce, no PKCE. */
  function withoutPkce(rp: RelyingParty, scope: string, extra: Record<string, string> = {}) {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    // `tenant`: the users of clients not bound to a tenant sign in to the one named.
    const url = oidc.buildAuthorizationUrl(rp.config, {
      redirect_uri: REDIRECT,
      scope,
      state,
      nonce,
      tenant: 'defaults',
      ...extra,
    });
    return { url: url.toString(), state, nonce };
  }

  async function signInWithoutPkce(rp: RelyingParty, scope: string, extra: Record<string, string> = {}) {
    const request = withoutPkce(rp, scope, extra);
    const back = await signIn(new Browser(), request.url, REDIRECT, { ...credentials, consent: true });
    const callback = new URL(back.location!);
    if (callback.searchParams.get('error')) {
      throw new Error(
        `authorization error: ${callback.searchParams.get('error')} ${callback.searchParams.get('error_description')}`,
      );
    }
    return oidc.authorizationCodeGrant(rp.config, callback, {
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  }

  it('cause 1+3+6+7: a confidential client without PKCE signs in; its RS256 ID token verifies and carries the granted claims', async () => {
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true });
    const tokens = await signInWithoutPkce(rp, 'openid email profile');
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('RS256');
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: platform.issuer, audience: rp.clientId });
    expect(payload).toMatchObject({
      sub: userId,
      email: credentials.login,
      email_verified: true,
      name: 'Grace Hopper',
    });
    // Not tenant-bound and not asked for: no tenant_id in the ID token.
    expect(payload).not.toHaveProperty('tenant_id');
    // RFC 6749 §5.1: the granted scope is named in the token response.
    expect(String(tokens.scope).split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
  });

  it('cause 6: a tenant-bound client gets tenant_id in its ID token', async () => {
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    const tokens = await signInWithoutPkce(rp, 'openid');
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: platform.issuer, audience: rp.clientId });
    expect(payload.tenant_id).toBe(tenantId);
  });

  it('cause 1: prompt=none without a session answers login_required at the redirect URI', async () => {
    const rp = await relyingParty(platform, { type: 'confidential' });
    const res = await new Browser().get(withoutPkce(rp, 'openid', { prompt: 'none' }).url);
    expect(res.location).toMatch(new RegExp(`^${REDIRECT}`));
    expect(new URL(res.location!).searchParams.get('error')).toBe('login_required');
  });

  it('cause 1: PKCE stays required for a confidential client registered with requirePkce, and for public clients', async () => {
    for (const rp of [
      await relyingParty(platform, { type: 'confidential', requirePkce: true }),
      await relyingParty(platform, { type: 'spa' }),
    ]) {
      const res = await new Browser().get(withoutPkce(rp, 'openid').url);
      const error = new URL(res.location!).searchParams;
      expect({ error: error.get('error'), description: error.get('error_description') }).toEqual({
        error: 'invalid_request',
        description: expect.stringMatching(/PKCE/),
      });
    }
  });

  it('cause 2: POST /authorize (form-encoded, OIDC Core §3.1.2.1) leads to the same sign-in', async () => {
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true });
    const request = withoutPkce(rp, 'openid email');
    const browser = new Browser();
    const posted = await browser.post(
      `${platform.issuer}/authorize`,
      Object.fromEntries(new URL(request.url).searchParams),
    );
    expect(posted.status).toBeLessThan(400);
    const back = await signIn(browser, posted.location!, REDIRECT, credentials);
    const tokens = await oidc.authorizationCodeGrant(rp.config, new URL(back.location!), {
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()).toMatchObject({ sub: userId, email: credentials.login });
  });

  it('cause 3: a client registered for ES256 ID tokens gets them; access tokens for the identity API stay ES256', async () => {
    const rp = await relyingParty(platform, { type: 'confidential', trusted: true, idTokenSignedResponseAlg: 'ES256' });
    const tokens = await signInWithoutPkce(rp, 'openid identity.users.read', { resource: IDENTITY_API });
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe('ES256');
    await expect(
      jwtVerify(tokens.id_token!, jwks, { issuer: platform.issuer, audience: rp.clientId }),
    ).resolves.toBeTruthy();
    expect(decodeProtectedHeader(tokens.access_token).alg).toBe('ES256');
    await expect(jwtVerify(tokens.access_token, jwks, { audience: IDENTITY_API })).resolves.toBeTruthy();
  });

  it('cause 3: discovery lists every ID token algorithm and /jwks has a key of each family', async () => {
    const discovery = (await fetchJson(`${platform.issuer}/.well-known/openid-configuration`)).body;
    expect(discovery.id_token_signing_alg_values_supported).toEqual(
      expect.arrayContaining(['RS256', 'ES256', 'EdDSA']),
    );
    const published = (await fetchJson(`${platform.issuer}/jwks`)).body.keys as { alg: string }[];
    expect(new Set(published.map((k) => k.alg))).toEqual(new Set(['RS256', 'ES256', 'EdDSA']));
  });

  it('cause 7: an unknown scope is refused with invalid_scope at /authorize and at /token', async () => {
    const rp = await relyingParty(platform, { type: 'confidential' });
    const res = await new Browser().get(withoutPkce(rp, 'openid no-such-scope').url);
    expect(new URL(res.location!).searchParams.get('error')).toBe('invalid_scope');

    const service = await platform.createClient({
      name: 'Scoped service',
      type: 'service',
      scopes: ['identity.users.read'],
    });
    const serviceRp = { clientId: service.clientId, clientSecret: service.clientSecret } as RelyingParty;
    const token = await calls.token(serviceRp, {
      grant_type: 'client_credentials',
      scope: 'identity.users.read no-such-scope',
    });
    expect({ status: token.status, error: token.body.error }).toEqual({ status: 400, error: 'invalid_scope' });
    const granted = await calls.token(serviceRp, { grant_type: 'client_credentials', scope: 'identity.users.read' });
    expect(granted.body.scope).toBe('identity.users.read');
  });

  it('cause 9: a trusted client gets a refresh token without prompt=consent; a third-party one keeps the consent rule', async () => {
    const firstParty = await relyingParty(platform, { type: 'confidential', trusted: true });
    const withOffline = await signInWithoutPkce(firstParty, 'openid offline_access', { prompt: 'login' });
    expect(withOffline.refresh_token).toBeTruthy();
    const refreshed = await oidc.refreshTokenGrant(firstParty.config, withOffline.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();

    const thirdParty = await relyingParty(platform, { type: 'confidential' });
    const noConsentPrompt = await signInWithoutPkce(thirdParty, 'openid offline_access', { prompt: 'login' });
    expect(noConsentPrompt.refresh_token).toBeUndefined();
  });
});
