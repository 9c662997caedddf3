import { Browser, fetchJson, formValue } from '@platform/testing';
import * as oidc from 'openid-client';
import { usePlatform } from './support/platform';
import {
  type AuthorizationRequest,
  authorizationRequest,
  REDIRECT,
  redeem,
  type RelyingParty,
  relyingParty,
} from './support/relying-party';
import { pageAction, signIn } from './support/sign-in';

const PASSWORD = 'a long and unguessable passphrase 7';

/** DESIGN.md §7 / RFC 9700: each check over HTTP against both running services. */
describe('OAuth 2.0 security BCP (RFC 9700)', () => {
  // No reuse leeway: the rotation test replays a rotated refresh token at once (the leeway has its own suite).
  const platform = usePlatform('rfc9700', { authz: { REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: '0' } });
  let tenantId: string;
  let confidential: RelyingParty;
  let publicClient: RelyingParty;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('bcp')).id;
    await platform.createUser(tenantId, 'grace@bcp.example', PASSWORD);
    confidential = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    publicClient = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
  });

  const credentials = { login: 'grace@bcp.example', password: PASSWORD };

  /** A fresh code for the client, via the hosted login. */
  async function code(rp: RelyingParty, scope = 'openid offline_access', extra: Record<string, string> = {}) {
    const request = await authorizationRequest(rp, scope, { prompt: 'consent', ...extra });
    const back = await signIn(new Browser(), request.url, REDIRECT, credentials);
    return { request, callback: back.location!, code: new URL(back.location!).searchParams.get('code')! };
  }

  const tokenRequest = (rp: RelyingParty, body: Record<string, string>) =>
    fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(rp.clientSecret ? { authorization: platform.basic(rp.clientId, rp.clientSecret) } : {}),
      },
      body: new URLSearchParams({ ...(rp.clientSecret ? {} : { client_id: rp.clientId }), ...body }),
    });

  const redeemRaw = (rp: RelyingParty, c: { code: string; request: AuthorizationRequest }) =>
    tokenRequest(rp, {
      grant_type: 'authorization_code',
      code: c.code,
      redirect_uri: REDIRECT,
      code_verifier: c.request.verifier,
    });

  const userinfoStatus = async (accessToken: string) =>
    (await fetch(`${platform.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

  it.each([
    ['a trailing slash', `${REDIRECT}/`],
    ['an added query', `${REDIRECT}?next=/admin`],
    ['a fragment', `${REDIRECT}#x`],
    ['another path', 'https://app.example.test/callback2'],
    ['http instead of https', REDIRECT.replace('https:', 'http:')],
    ['a suffixed host', 'https://app.example.test.evil.example/callback'],
    ['a different port', 'https://app.example.test:8443/callback'],
    ['another site', 'https://evil.example/callback'],
    ['userinfo in the authority', 'https://app.example.test@evil.example/callback'],
  ])('refuses a redirect URI with %s, without redirecting anywhere', async (_variant, redirectUri) => {
    const request = await authorizationRequest(confidential, 'openid', { redirect_uri: redirectUri });
    const res = await new Browser().get(request.url);
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
    expect(res.body).toContain('redirect_uri');
  });

  it('refuses response_type=token (implicit) and id_token (hybrid without code)', async () => {
    for (const responseType of ['token', 'id_token', 'code token', 'code id_token']) {
      const request = await authorizationRequest(confidential, 'openid', { response_type: responseType });
      const res = await new Browser().get(request.url);
      expect(res.status).toBe(303);
      // Implicit-style requests get their error in the fragment; either way, no token anywhere.
      const back = new URL(res.location!);
      const answer = new URLSearchParams(back.hash.slice(1) || back.search);
      expect(answer.get('error')).toBe('unsupported_response_type');
      expect(res.location).not.toMatch(/access_token|id_token=|code=/);
    }
  });

  it('refuses grant_type=password for a client that did not opt in', async () => {
    const res = await tokenRequest(confidential, {
      grant_type: 'password',
      username: 'grace@bcp.example',
      password: PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(['unsupported_grant_type', 'unauthorized_client']).toContain(res.body.error);
  });

  it('puts iss in successful and error authorization responses (RFC 9207)', async () => {
    const { callback } = await code(confidential, 'openid');
    expect(new URL(callback).searchParams.get('iss')).toBe(platform.issuer);
    const request = await authorizationRequest(confidential, 'openid', { prompt: 'none' });
    const res = await new Browser().get(request.url);
    const error = new URL(res.location!).searchParams;
    expect(error.get('error')).toBe('login_required');
    expect(error.get('iss')).toBe(platform.issuer);
  });

  it('requires PKCE: no challenge, plain method and a missing or wrong verifier are refused', async () => {
    const withoutChallenge = new URL((await authorizationRequest(publicClient, 'openid')).url);
    withoutChallenge.searchParams.delete('code_challenge');
    withoutChallenge.searchParams.delete('code_challenge_method');
    const refused = await new Browser().get(withoutChallenge.toString());
    expect(new URL(refused.location!).searchParams.get('error')).toBe('invalid_request');

    const plain = await authorizationRequest(publicClient, 'openid', { code_challenge_method: 'plain' });
    const plainRefused = await new Browser().get(plain.url);
    expect(new URL(plainRefused.location!).searchParams.get('error')).toBe('invalid_request');

    // Downgrade: a code issued for a challenge cannot be redeemed without (or with another) verifier.
    const issued = await code(publicClient, 'openid');
    const noVerifier = await tokenRequest(publicClient, {
      grant_type: 'authorization_code',
      code: issued.code,
      redirect_uri: REDIRECT,
    });
    expect(noVerifier.body.error).toMatch(/invalid_grant|invalid_request/);
    const again = await code(publicClient, 'openid');
    const wrongVerifier = await tokenRequest(publicClient, {
      grant_type: 'authorization_code',
      code: again.code,
      redirect_uri: REDIRECT,
      code_verifier: oidc.randomPKCECodeVerifier(),
    });
    expect(wrongVerifier.body.error).toBe('invalid_grant');
  });

  it('revokes the tokens issued for a code when the code is presented again', async () => {
    const issued = await code(confidential);
    const first = await redeemRaw(confidential, issued);
    expect(first.status).toBe(200);
    expect(await userinfoStatus(first.body.access_token)).toBe(200);

    const replay = await redeemRaw(confidential, issued);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await userinfoStatus(first.body.access_token)).toBe(401);
    const refresh = await tokenRequest(confidential, {
      grant_type: 'refresh_token',
      refresh_token: first.body.refresh_token,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('lets exactly one of several parallel redemptions of one code succeed', async () => {
    const issued = await code(confidential);
    const results = await Promise.all(Array.from({ length: 6 }, () => redeemRaw(confidential, issued)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error === 'invalid_grant')).toHaveLength(5);
  });

  it('rotates refresh tokens and kills the whole family when a rotated one is replayed', async () => {
    const issued = await code(publicClient);
    const tokens = await redeem(publicClient, issued.callback, issued.request);
    const rotated = await oidc.refreshTokenGrant(publicClient.config, tokens.refresh_token!);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(await userinfoStatus(rotated.access_token)).toBe(200);

    // An attacker replays the stolen, already rotated token: refused, and the legitimate chain dies too.
    const replay = await tokenRequest(publicClient, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
    });
    expect(replay.body.error).toBe('invalid_grant');
    const legitimate = await tokenRequest(publicClient, {
      grant_type: 'refresh_token',
      refresh_token: rotated.refresh_token!,
    });
    expect(legitimate.body.error).toBe('invalid_grant');
    expect(await userinfoStatus(rotated.access_token)).toBe(401);
  });

  it('refuses login and consent posts without the page CSRF token, and frames nothing', async () => {
    const request = await authorizationRequest(confidential, 'openid');
    const browser = new Browser();
    const page = await browser.follow(request.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const action = new URL(pageAction(page)!, page.url).toString();

    const missing = await browser.post(action, credentials);
    expect(missing.status).toBe(403);
    const forged = await browser.post(action, { ...credentials, csrf: 'forged-token' });
    expect(forged.status).toBe(403);
    // A token from another interaction does not fit this one either.
    const other = await new Browser().follow((await authorizationRequest(confidential, 'openid')).url);
    const foreign = await browser.post(action, { ...credentials, csrf: formValue(other.body, 'csrf')! });
    expect(foreign.status).toBe(403);

    // With its own token the same browser signs in.
    const ok = await browser.post(action, { ...credentials, csrf: formValue(page.body, 'csrf')! });
    expect(ok.status).toBe(303);

    // Consent page of a third-party client: the same rule.
    const thirdParty = await relyingParty(platform, { type: 'confidential', tenantId });
    const consentBrowser = new Browser();
    const consentRequest = await authorizationRequest(thirdParty, 'openid profile');
    const login = await consentBrowser.follow(consentRequest.url);
    const toConsent = await consentBrowser.post(new URL(pageAction(login)!, login.url).toString(), {
      ...credentials,
      csrf: formValue(login.body, 'csrf')!,
    });
    const consent = await consentBrowser.continue(toConsent);
    expect(pageAction(consent)).toMatch(/\/consent$/);
    const consentPost = await consentBrowser.post(new URL(pageAction(consent)!, consent.url).toString(), {});
    expect(consentPost.status).toBe(403);
  });

  it('answers unknown users and wrong passwords with the same page', async () => {
    const attempt = async (login: string) => {
      const browser = new Browser();
      const page = await browser.follow((await authorizationRequest(confidential, 'openid')).url);
      const res = await browser.post(new URL(pageAction(page)!, page.url).toString(), {
        login,
        password: 'not the password at all',
        csrf: formValue(page.body, 'csrf')!,
      });
      return { status: res.status, alert: res.body.match(/role="alert">([^<]*)</)?.[1] };
    };
    const wrongPassword = await attempt('grace@bcp.example');
    const unknown = await attempt('nobody@bcp.example');
    expect(wrongPassword.status).toBe(401);
    expect(unknown).toEqual(wrongPassword);
  });

  it('does not redirect to an unregistered post-logout URI (no open redirect)', async () => {
    const issued = await code(confidential, 'openid');
    const tokens = await redeem(confidential, issued.callback, issued.request);
    const url = new URL(`${platform.issuer}/logout`);
    url.searchParams.set('id_token_hint', tokens.id_token!);
    url.searchParams.set('post_logout_redirect_uri', 'https://evil.example/');
    const res = await new Browser().get(url.toString());
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
  });
});
