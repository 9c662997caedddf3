import { Browser, formValue } from '@platform/testing';
import * as oidc from 'openid-client';
import { oauthCalls } from './support/oauth-calls';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { pageAction, signIn } from './support/sign-in';

const PASSWORD = 'hostile inputs meet their match 9';
const OTHER_REDIRECT = 'https://app.example.test/other-callback';

/**
 * Hostile-input suite, part 1: the OAuth 2.0 / OIDC protocol surface of the authorization
 * server (RFC 9700, RFC 6749, RFC 7636, RFC 7009, RFC 7662, OIDC RP-initiated logout), attacked
 * over HTTP while both built services run. Each test is one attack; its name and every
 * assertion's failure message name the rule it checks.
 */
describe('hostile input: OAuth and OpenID Connect protocol attacks', () => {
  // No reuse leeway: these tests replay a rotated refresh token at once (the leeway has its own suite).
  const platform = usePlatform('hostile_oauth', { authz: { REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: '0' } });
  let calls: ReturnType<typeof oauthCalls>;
  let tenantId: string;
  let victimApp: RelyingParty;
  let attackerApp: RelyingParty;
  let publicApp: RelyingParty;
  const credentials = { login: 'victim@hostile.example', password: PASSWORD };

  beforeAll(async () => {
    calls = oauthCalls(platform);
    tenantId = (await platform.createTenant('hostile-oauth')).id;
    await platform.createUser(tenantId, credentials.login, PASSWORD);
    victimApp = await relyingParty(platform, {
      type: 'confidential',
      trusted: true,
      tenantId,
      redirectUris: [REDIRECT, OTHER_REDIRECT],
    });
    // Another registered client of the same tenant, with the same redirect URI: it holds valid credentials.
    attackerApp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    publicApp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
  });

  describe('redirect URI tricks: refused with a 400 page, never redirected to', () => {
    it.each([
      ['a trailing slash', `${REDIRECT}/`],
      ['an extra query parameter', `${REDIRECT}?next=https://evil.example`],
      ['userinfo (@) in the authority', 'https://app.example.test@evil.example/callback'],
      ['a dot-dot segment that normalizes to the registered path', 'https://app.example.test/x/../callback'],
      ['percent-encoded dots', 'https://app.example.test/x/%2e%2e/callback'],
      ['a javascript: scheme', 'javascript://app.example.test/callback%0aalert(document.cookie)'],
      ['an http downgrade', REDIRECT.replace('https:', 'http:')],
      ['an upper-case host', 'https://APP.example.test/callback'],
    ])('RFC 9700 §4.1.3 / §2.1: redirect_uri must match a registered one exactly (%s)', async (variant, uri) => {
      const request = await authorizationRequest(victimApp, 'openid', { redirect_uri: uri });
      const res = await new Browser().get(request.url);
      const rule = `RFC 9700 §4.1.3: exact redirect_uri matching, ${variant} refused without a redirect`;
      expectRule(rule, res.status).toBe(400);
      expectRule(rule, res.location).toBeNull();
    });

    it('RFC 9700 §2.1 / RFC 6749 §3.1.2: the management API refuses javascript: and fragment redirect URIs', async () => {
      for (const uri of ['javascript:alert(1)', 'https://app.example.test/callback#fragment']) {
        const res = await platform.authzAdmin('POST', '/api/v1/clients', {
          name: 'Sneaky',
          type: 'confidential',
          redirectUris: [uri],
        });
        expectRule(`RFC 6749 §3.1.2: a redirect URI like ${uri} cannot be registered`, res.status).toBe(400);
      }
    });

    it('RFC 6749 §4.1.3: the token request must repeat the redirect_uri the code was issued for', async () => {
      const issued = await calls.code(victimApp, credentials, 'openid');
      const res = await calls.redeem(victimApp, issued, { redirect_uri: OTHER_REDIRECT });
      expectRule(
        'RFC 6749 §4.1.3: redirect_uri at /token must equal the one of the authorization request',
        res.body.error,
      ).toBe('invalid_grant');
    });
  });

  describe('authorization codes', () => {
    it('RFC 9700 §4.5 / RFC 6749 §4.1.2: a replayed code is refused and revokes the tokens it produced', async () => {
      const issued = await calls.code(victimApp, credentials);
      const first = await calls.redeem(victimApp, issued);
      expect(first.status).toBe(200);
      const replay = await calls.redeem(victimApp, issued);
      expectRule('RFC 6749 §4.1.2: an authorization code is single-use', replay.body.error).toBe('invalid_grant');
      expectRule(
        'RFC 6749 §4.1.2: tokens issued from a replayed code are revoked',
        await calls.userinfoStatus(first.body.access_token),
      ).toBe(401);
    });

    it("RFC 6749 §4.1.3: another client cannot redeem a victim client's code, even with its own valid credentials", async () => {
      const issued = await calls.code(victimApp, credentials);
      const stolen = await calls.redeem(attackerApp, issued);
      expectRule('RFC 6749 §4.1.3: a code is bound to the client it was issued to', stolen.status).toBe(400);
      expectRule('RFC 6749 §4.1.3: a code is bound to the client it was issued to', stolen.body.error).toBe(
        'invalid_grant',
      );
    });

    it('RFC 6749 §2.3.1: a confidential client cannot redeem a code without (or with a wrong) secret', async () => {
      const issued = await calls.code(victimApp, credentials, 'openid');
      const anonymous = { ...victimApp, clientSecret: null };
      const withoutSecret = await calls.redeem(anonymous, issued);
      expectRule('RFC 6749 §2.3.1: confidential clients authenticate at /token', withoutSecret.body.error).toBe(
        'invalid_client',
      );
      const wrongSecret = await calls.redeem({ ...victimApp, clientSecret: 'guessed-secret' }, issued);
      expectRule('RFC 6749 §2.3.1: a wrong client secret is refused', wrongSecret.body.error).toBe('invalid_client');
    });
  });

  describe('PKCE (RFC 7636, required for every client by RFC 9700 §2.1.1)', () => {
    it('RFC 9700 §2.1.1: an authorization request without code_challenge is refused', async () => {
      const url = new URL((await authorizationRequest(publicApp, 'openid')).url);
      url.searchParams.delete('code_challenge');
      url.searchParams.delete('code_challenge_method');
      const res = await new Browser().get(url.toString());
      expectRule('RFC 9700 §2.1.1: PKCE is required', new URL(res.location!).searchParams.get('error')).toBe(
        'invalid_request',
      );
    });

    it('RFC 9700 §2.1.1: the plain code_challenge_method is refused (S256 only)', async () => {
      const request = await authorizationRequest(publicApp, 'openid', { code_challenge_method: 'plain' });
      const res = await new Browser().get(request.url);
      expectRule('RFC 9700 §2.1.1: plain PKCE refused', new URL(res.location!).searchParams.get('error')).toBe(
        'invalid_request',
      );
    });

    it('RFC 7636 §4.6: a code issued for a challenge cannot be redeemed without the verifier (downgrade)', async () => {
      const issued = await calls.code(publicApp, credentials, 'openid');
      const res = await calls.token(publicApp, {
        grant_type: 'authorization_code',
        code: issued.code,
        redirect_uri: REDIRECT,
      });
      expectRule('RFC 7636 §4.6: code_verifier is required when a challenge was sent', res.status).toBe(400);
      expectRule('RFC 7636 §4.6: code_verifier is required when a challenge was sent', res.body.error).toMatch(
        /invalid_grant|invalid_request/,
      );
    });

    it('RFC 7636 §4.6: a wrong code_verifier is refused', async () => {
      const issued = await calls.code(publicApp, credentials, 'openid');
      const res = await calls.redeem(publicApp, issued, { code_verifier: oidc.randomPKCECodeVerifier() });
      expectRule('RFC 7636 §4.6: the verifier must hash to the challenge', res.body.error).toBe('invalid_grant');
    });

    it('RFC 7636 §4.6: the S256 challenge itself presented as the verifier (plain downgrade) is refused', async () => {
      const issued = await calls.code(publicApp, credentials, 'openid');
      const challenge = new URL(issued.request.url).searchParams.get('code_challenge')!;
      const res = await calls.redeem(publicApp, issued, { code_verifier: challenge });
      expectRule('RFC 7636 §4.6: S256 challenges are never compared as plain', res.body.error).toBe('invalid_grant');
    });
  });

  describe('refresh tokens', () => {
    it('RFC 9700 §4.14.2: a replayed rotated refresh token is refused and kills the whole token family', async () => {
      const issued = await calls.code(publicApp, credentials);
      const tokens = await redeem(publicApp, issued.callback, issued.request);
      const rotated = await oidc.refreshTokenGrant(publicApp.config, tokens.refresh_token!);
      const replay = await calls.token(publicApp, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
      });
      expectRule('RFC 9700 §4.14.2: refresh token reuse detected', replay.body.error).toBe('invalid_grant');
      const legitimate = await calls.token(publicApp, {
        grant_type: 'refresh_token',
        refresh_token: rotated.refresh_token!,
      });
      expectRule('RFC 9700 §4.14.2: reuse revokes the rotated successor too', legitimate.body.error).toBe(
        'invalid_grant',
      );
    });

    it('RFC 6749 §6: a refresh request cannot widen the scope of the original grant', async () => {
      const issued = await calls.code(victimApp, credentials, 'openid offline_access');
      const tokens = await calls.redeem(victimApp, issued);
      const widened = await calls.token(victimApp, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
        scope: 'openid offline_access profile email',
      });
      expectRule('RFC 6749 §6: the refreshed scope must not exceed the granted one', widened.status).toBe(400);
      expectRule('RFC 6749 §6: the refreshed scope must not exceed the granted one', widened.body.error).toBe(
        'invalid_scope',
      );
    });

    it("RFC 6749 §6: another client cannot use a victim client's refresh token", async () => {
      const issued = await calls.code(victimApp, credentials);
      const tokens = await calls.redeem(victimApp, issued);
      const stolen = await calls.token(attackerApp, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
      });
      expectRule('RFC 6749 §6: a refresh token is bound to its client', stolen.body.error).toBe('invalid_grant');
    });

    it("DESIGN §7: a disabled user's refresh token stops working at once", async () => {
      const user = await platform.createUser(tenantId, 'soon-disabled@hostile.example', PASSWORD);
      const issued = await calls.code(victimApp, { login: 'soon-disabled@hostile.example', password: PASSWORD });
      const tokens = await calls.redeem(victimApp, issued);
      expect(tokens.body.refresh_token).toBeTruthy();
      const disabled = await platform.identityAdmin(
        'POST',
        `/api/v1/users/${user.id}/disable?tenantId=${tenantId}`,
        {},
      );
      expect(disabled.status).toBe(200);
      const refresh = await calls.token(victimApp, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
      });
      expectRule('DESIGN §7: disabling a user ends their refresh tokens', refresh.body.error).toBe('invalid_grant');
      expectRule(
        'DESIGN §7: disabling a user ends their access at /userinfo',
        await calls.userinfoStatus(tokens.body.access_token),
      ).toBe(401);
    });
  });

  describe('flows that RFC 9700 forbids', () => {
    it.each(['token', 'id_token', 'id_token token'])(
      'RFC 9700 §2.1.2: the implicit flow (response_type=%s) is refused and no token leaves the server',
      async (responseType) => {
        const request = await authorizationRequest(victimApp, 'openid', { response_type: responseType, nonce: 'n' });
        const res = await new Browser().get(request.url);
        const back = new URL(res.location!);
        const answer = new URLSearchParams(back.hash.slice(1) || back.search);
        const rule = `RFC 9700 §2.1.2: implicit grant (${responseType}) not supported`;
        expectRule(rule, answer.get('error')).toBe('unsupported_response_type');
        expectRule(rule, res.location).not.toMatch(/access_token=|id_token=|code=/);
      },
    );

    it('RFC 9700 §2.4: the resource owner password credentials grant is refused', async () => {
      const res = await calls.token(victimApp, {
        grant_type: 'password',
        username: credentials.login,
        password: PASSWORD,
        scope: 'openid',
      });
      expectRule('RFC 9700 §2.4: no ROPC for a client that was not explicitly allowed it', res.status).toBe(400);
      expectRule('RFC 9700 §2.4: no ROPC', ['unsupported_grant_type', 'unauthorized_client']).toContain(res.body.error);
      expect(JSON.stringify(res.body)).not.toContain('access_token');
    });

    it('RFC 9207: authorization responses carry iss, so a mix-up can be detected', async () => {
      const issued = await calls.code(victimApp, credentials, 'openid');
      expectRule('RFC 9207: iss in the authorization response', new URL(issued.callback).searchParams.get('iss')).toBe(
        platform.issuer,
      );
    });
  });

  describe('introspection and revocation of tokens issued to someone else', () => {
    it("RFC 7662 §4: a client introspecting another client's token learns nothing", async () => {
      const tokens = await calls.redeem(victimApp, await calls.code(victimApp, credentials));
      const own = await calls.introspect(victimApp, tokens.body.refresh_token);
      expect(own.body.active).toBe(true);
      for (const token of [tokens.body.access_token, tokens.body.refresh_token]) {
        const res = await calls.introspect(attackerApp, token);
        expectRule("RFC 7662 §4: introspection of another client's token answers active=false", res.body).toEqual({
          active: false,
        });
      }
    });

    it("RFC 7009 §2.1: a client cannot revoke another client's token", async () => {
      const tokens = await calls.redeem(victimApp, await calls.code(victimApp, credentials));
      await calls.revoke(attackerApp, tokens.body.refresh_token, 'refresh_token');
      await calls.revoke(attackerApp, tokens.body.access_token, 'access_token');
      expectRule(
        "RFC 7009 §2.1: the victim's access token survives a foreign revocation",
        await calls.userinfoStatus(tokens.body.access_token),
      ).toBe(200);
      const refreshed = await calls.token(victimApp, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token,
      });
      expectRule("RFC 7009 §2.1: the victim's refresh token survives a foreign revocation", refreshed.status).toBe(200);
    });
  });

  describe('hosted pages: CSRF, framing, logout', () => {
    it('DESIGN §7: the login page cannot be framed (clickjacking)', async () => {
      const page = await new Browser().follow((await authorizationRequest(victimApp, 'openid')).url);
      expect(pageAction(page)).toMatch(/\/login$/);
      expectRule(
        "DESIGN §7: frame-ancestors 'none' on the login page",
        page.headers.get('content-security-policy'),
      ).toMatch(/frame-ancestors 'none'/);
      expectRule('DESIGN §7: X-Frame-Options DENY on the login page', page.headers.get('x-frame-options')).toBe('DENY');
    });

    it('DESIGN §7: a cross-site login post without the page CSRF token is refused (login CSRF)', async () => {
      const browser = new Browser();
      const page = await browser.follow((await authorizationRequest(victimApp, 'openid')).url);
      const action = new URL(pageAction(page)!, page.url).toString();
      // The attacker's page posts the attacker's own credentials into the victim's browser session.
      const forged = await browser.post(
        action,
        { ...credentials, csrf: 'attacker-guess' },
        { origin: 'https://evil.example' },
      );
      expectRule('DESIGN §7: CSRF token required on the login form', forged.status).toBe(403);
      expectRule('DESIGN §7: CSRF on login signs nobody in', forged.location).toBeNull();
    });

    it('DESIGN §7: a consent post without the page CSRF token is refused (consent CSRF)', async () => {
      const thirdParty = await relyingParty(platform, { type: 'confidential', tenantId });
      const browser = new Browser();
      const login = await browser.follow((await authorizationRequest(thirdParty, 'openid profile')).url);
      const toConsent = await browser.post(new URL(pageAction(login)!, login.url).toString(), {
        ...credentials,
        csrf: formValue(login.body, 'csrf')!,
      });
      const consent = await browser.continue(toConsent);
      expect(pageAction(consent)).toMatch(/\/consent$/);
      const forged = await browser.post(
        new URL(pageAction(consent)!, consent.url).toString(),
        {},
        {
          origin: 'https://evil.example',
        },
      );
      expectRule('DESIGN §7: CSRF token required on the consent form', forged.status).toBe(403);
      expectRule('DESIGN §7: CSRF on consent grants nothing', forged.location).toBeNull();
    });

    it('OIDC RP-Initiated Logout §2 / DESIGN §7: a logout without the confirmation CSRF token keeps the session', async () => {
      const browser = new Browser();
      const request = await authorizationRequest(victimApp, 'openid');
      await signIn(browser, request.url, REDIRECT, credentials);
      // A cross-site GET only shows a confirmation page; its form's post needs the page's xsrf value.
      const confirmation = await browser.get(`${platform.issuer}/logout`);
      expect(confirmation.status).toBe(200);
      const action = new URL(confirmation.body.match(/action="([^"]+)"/)![1]!, confirmation.url).toString();
      const forged = await browser.post(
        action,
        { logout: 'yes', xsrf: 'attacker-guess' },
        { origin: 'https://evil.example' },
      );
      expectRule('OIDC RP-Initiated Logout: the confirmation form is CSRF-protected', forged.status).toBe(400);
      const silent = await browser.get((await authorizationRequest(victimApp, 'openid', { prompt: 'none' })).url);
      expectRule(
        'OIDC RP-Initiated Logout: a forged logout leaves the session signed in',
        new URL(silent.location!).searchParams.get('code'),
      ).toBeTruthy();
    });

    it('RFC 9700 §4.11 / OIDC RP-Initiated Logout §3: an unregistered post_logout_redirect_uri is no open redirect', async () => {
      const tokens = await redeem(
        victimApp,
        ...(await (async () => {
          const issued = await calls.code(victimApp, credentials, 'openid');
          return [issued.callback, issued.request] as const;
        })()),
      );
      const url = new URL(`${platform.issuer}/logout`);
      url.searchParams.set('id_token_hint', tokens.id_token!);
      url.searchParams.set('post_logout_redirect_uri', 'https://evil.example/phish');
      const res = await new Browser().get(url.toString());
      expectRule('RFC 9700 §4.11: no open redirector at /logout', res.status).toBe(400);
      expectRule('RFC 9700 §4.11: no open redirector at /logout', res.location).toBeNull();
    });
  });
});
