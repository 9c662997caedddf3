import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, fetchJsonWithBearer } from '@platform/testing';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { AUTHZ_API, IDENTITY_API, type Platform, startPlatform } from './support/platform';
import { relyingParty, type RelyingParty, REDIRECT, authorizationRequest, redeem } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'my account is mine to manage';
const TENANT = 'acct';

/**
 * Issue 14 (account console): the self-service APIs the console calls with the user's own token,
 * the bootstrapped first-party `account-console` client it signs in with, and the static serving
 * of the built console at /account.
 */
describe('account console: self-service APIs, first-party client, static serving', () => {
  let platform: Platform;
  let tenantId: string;
  let webApps: string;
  let console_: oidc.Configuration;
  let callback: string;

  beforeAll(async () => {
    // A stand-in for the built SPA (Vite's layout: index.html + content-hashed assets/).
    webApps = mkdtempSync(join(tmpdir(), 'web-apps-'));
    mkdirSync(join(webApps, 'account', 'assets'), { recursive: true });
    writeFileSync(join(webApps, 'account', 'index.html'), '<!doctype html><title>Account</title><div id="root">');
    writeFileSync(join(webApps, 'account', 'assets', 'index-Ab12Cd34.js'), 'console.log("account")');
    platform = await startPlatform('account', { authz: { WEB_APPS_DIR: webApps } });
    tenantId = (await platform.createTenant(TENANT)).id;
    callback = `${platform.issuer}/account/callback`;
    console_ = await oidc.discovery(new URL(platform.issuer), 'account-console', undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
  }, 180_000);

  afterAll(() => platform?.stop());

  /** Signs in to the account console in a browser, as the SPA does: code + PKCE, a token per API. */
  async function consoleSignIn(browser: Browser, login: string, extra: Record<string, string> = {}) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const params = new URLSearchParams({
      redirect_uri: callback,
      scope: 'openid profile email offline_access',
      state,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      tenant: TENANT,
      ...extra,
    });
    // Both APIs in one sign-in; the code is redeemed for one, the refresh token gets the other.
    params.append('resource', IDENTITY_API);
    params.append('resource', AUTHZ_API);
    const url = oidc.buildAuthorizationUrl(console_, params);
    const back = await signIn(browser, url.toString(), callback, { login, password: PASSWORD, consent: false });
    const identity = await oidc.authorizationCodeGrant(
      console_,
      new URL(back.location!),
      { pkceCodeVerifier: verifier, expectedState: state },
      { resource: IDENTITY_API },
    );
    const authz = await oidc.refreshTokenGrant(console_, identity.refresh_token!, { resource: AUTHZ_API });
    return { identity: identity.access_token, authz: authz.access_token, refreshToken: authz.refresh_token! };
  }

  const call = (base: string, token: string, method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${base}${path}`, token, method, body);
  const authz = (token: string, method: string, path: string) => call(platform.issuer, token, method, path);
  const identity = (token: string, method: string, path: string, body?: unknown) =>
    call(platform.identityUrl, token, method, path, body);

  /** A refresh of a grant for both APIs names the one it wants a token for. */
  const refreshes = (config: oidc.Configuration, refreshToken: string, resource?: string) =>
    oidc.refreshTokenGrant(config, refreshToken, resource ? { resource } : undefined).then(
      () => true,
      () => false,
    );

  it('bootstraps the account console as a trusted public client: code + PKCE, no consent, refresh tokens', async () => {
    await platform.createUser(tenantId, 'cleo@acct.example', PASSWORD);
    const tokens = await consoleSignIn(new Browser(), 'cleo@acct.example');
    expect((await identity(tokens.identity, 'GET', '/api/v1/me')).body.email).toBe('cleo@acct.example');
    // A public client: no PKCE, no sign-in.
    const noPkce = oidc.buildAuthorizationUrl(console_, { redirect_uri: callback, scope: 'openid', tenant: TENANT });
    const refused = await new Browser().get(noPkce.toString());
    expect(refused.location ?? '').toContain('error=invalid_request');
    const clients = await platform.authzAdmin('GET', '/api/v1/clients?limit=100');
    const items = (clients.body.items ?? clients.body) as { clientId: string }[];
    expect(items.map((c) => c.clientId)).toEqual(expect.arrayContaining(['account-console', 'admin-console']));
  });

  it('lists my sessions with this one marked, signs out one and all others for real', async () => {
    await platform.createUser(tenantId, 'dora@acct.example', PASSWORD);
    const [laptop, phone, tablet] = [new Browser(), new Browser(), new Browser()];
    const mine = await consoleSignIn(laptop, 'dora@acct.example');
    const onPhone = await consoleSignIn(phone, 'dora@acct.example');
    const onTablet = await consoleSignIn(tablet, 'dora@acct.example');

    const listed = await authz(mine.authz, 'GET', '/api/v1/me/sessions');
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(3);
    const current = (listed.body as { id: string; current: boolean }[]).filter((s) => s.current);
    expect(current).toHaveLength(1);
    const phoneSession = (await authz(onPhone.authz, 'GET', '/api/v1/me/sessions')).body.find(
      (s: { current: boolean }) => s.current,
    );
    expect(phoneSession.id).not.toBe(current[0]!.id);

    // One: the phone's session ends; its refresh token fails and its next /authorize finds no session.
    expect((await authz(mine.authz, 'DELETE', `/api/v1/me/sessions/${phoneSession.id}`)).status).toBe(204);
    expect(await refreshes(console_, onPhone.refreshToken, AUTHZ_API)).toBe(false);
    const silent = oidc.buildAuthorizationUrl(console_, {
      redirect_uri: callback,
      scope: 'openid',
      prompt: 'none',
      tenant: TENANT,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const phoneAgain = await phone.follow(silent.toString(), (url) => url.startsWith(callback));
    expect(new URL(phoneAgain.location!).searchParams.get('error')).toBe('login_required');

    // All others: the tablet goes, this browser stays signed in.
    const others = await authz(mine.authz, 'DELETE', '/api/v1/me/sessions');
    expect(others).toMatchObject({ status: 200, body: { ended: 1 } });
    expect(await refreshes(console_, onTablet.refreshToken, AUTHZ_API)).toBe(false);
    const left = await authz(mine.authz, 'GET', '/api/v1/me/sessions');
    expect(left.body).toEqual([expect.objectContaining({ id: current[0]!.id, current: true })]);
    expect(await refreshes(console_, mine.refreshToken, AUTHZ_API)).toBe(true);

    // Nobody else's session by id.
    await platform.createUser(tenantId, 'eve@acct.example', PASSWORD);
    const eve = await consoleSignIn(new Browser(), 'eve@acct.example');
    expect((await authz(eve.authz, 'DELETE', `/api/v1/me/sessions/${current[0]!.id}`)).status).toBe(404);
  });

  it("lists my connected apps by name and withdraws one app's access (its refresh fails)", async () => {
    await platform.createUser(tenantId, 'finn@acct.example', PASSWORD);
    const browser = new Browser();
    const mine = await consoleSignIn(browser, 'finn@acct.example');
    const mail: RelyingParty = await relyingParty(platform, { type: 'spa', trusted: true, name: 'Mail' });
    const request = await authorizationRequest(mail, 'openid offline_access', { tenant: TENANT });
    const back = await signIn(browser, request.url, REDIRECT, { login: 'finn@acct.example', password: PASSWORD });
    const mailTokens = await redeem(mail, back.location!, request);

    const grants = await authz(mine.authz, 'GET', '/api/v1/me/grants');
    expect(grants.status).toBe(200);
    const byClient = Object.fromEntries(
      (grants.body as { clientId: string; clientName: string; firstParty: boolean; id: string }[]).map((g) => [
        g.clientId,
        g,
      ]),
    );
    expect(byClient[mail.clientId]).toMatchObject({ clientName: 'Mail', firstParty: false });
    expect(byClient['account-console']).toMatchObject({ clientName: 'Account console', firstParty: true });

    expect((await authz(mine.authz, 'DELETE', `/api/v1/me/grants/${byClient[mail.clientId]!.id}`)).status).toBe(204);
    expect(await refreshes(mail.config, mailTokens.refresh_token!)).toBe(false);
    expect(await refreshes(console_, mine.refreshToken, AUTHZ_API)).toBe(true);
  });

  it('unlinks my external accounts but never the last way to sign in', async () => {
    const user = await platform.createUser(tenantId, 'gus@acct.example', PASSWORD);
    const tokens = await consoleSignIn(new Browser(), 'gus@acct.example');
    const db = new Client({ connectionString: platform.identityDb.url });
    await db.connect();
    try {
      const [{ id: providerId }] = (
        await db.query(
          `INSERT INTO identity_providers (tenant_id, slug, display_name, issuer, client_id)
           VALUES ($1, 'upstream', 'Upstream', 'https://idp.example', 'rp') RETURNING id`,
          [tenantId],
        )
      ).rows;
      const link = async (subject: string) =>
        (
          await db.query(
            `INSERT INTO external_identities (user_id, provider_id, subject, email) VALUES ($1, $2, $3, $4) RETURNING id`,
            [user.id, providerId, subject, 'gus@upstream.example'],
          )
        ).rows[0].id as string;
      const [first, second] = [await link('gus-1'), await link('gus-2')];
      // An account that signs in only through its linked accounts.
      await db.query(`UPDATE users SET password_hash = NULL WHERE id = $1`, [user.id]);

      const listed = await identity(tokens.identity, 'GET', '/api/v1/me/external-identities');
      expect(listed.body).toHaveLength(2);
      expect((await identity(tokens.identity, 'DELETE', `/api/v1/me/external-identities/${first}`)).status).toBe(204);
      const last = await identity(tokens.identity, 'DELETE', `/api/v1/me/external-identities/${second}`);
      expect(last).toMatchObject({
        status: 409,
        body: { error: expect.objectContaining({ code: 'last_sign_in_method' }) },
      });
      expect((await identity(tokens.identity, 'GET', '/api/v1/me/external-identities')).body).toHaveLength(1);
    } finally {
      await db.end();
    }
  });

  it('downloads my personal data as a file', async () => {
    await platform.createUser(tenantId, 'hana@acct.example', PASSWORD);
    const tokens = await consoleSignIn(new Browser(), 'hana@acct.example');
    const res = await fetch(`${platform.identityUrl}/api/v1/me/export`, {
      headers: { authorization: `Bearer ${tokens.identity}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="personal-data.json"');
    expect(((await res.json()) as { account: { email: string } }).account.email).toBe('hana@acct.example');
  });

  it('deletes my account only after re-authentication; it can no longer sign in', async () => {
    await platform.createUser(tenantId, 'ivan@acct.example', PASSWORD);
    const elsewhere = await consoleSignIn(new Browser(), 'ivan@acct.example');
    const tokens = await consoleSignIn(new Browser(), 'ivan@acct.example', { prompt: 'login', max_age: '0' });
    const wrong = await identity(tokens.identity, 'POST', '/api/v1/me/delete', { password: 'not my password' });
    expect(wrong).toMatchObject({
      status: 401,
      body: { error: expect.objectContaining({ code: 'invalid_credentials' }) },
    });
    // A fresh sign-in (auth_time in the token) is re-authentication enough.
    expect((await identity(tokens.identity, 'POST', '/api/v1/me/delete', {})).status).toBe(204);
    await expect(consoleSignIn(new Browser(), 'ivan@acct.example')).rejects.toThrow();
    // Its other sessions' refresh tokens fail at once: the account they belong to is gone.
    expect(await refreshes(console_, elsewhere.refreshToken, AUTHZ_API)).toBe(false);

    await platform.createUser(tenantId, 'jo@acct.example', PASSWORD);
    const jo = await consoleSignIn(new Browser(), 'jo@acct.example');
    expect((await identity(jo.identity, 'POST', '/api/v1/me/delete', { password: PASSWORD })).status).toBe(204);
  });

  describe('static serving of the built console at /account', () => {
    const get = (path: string) => fetch(`${platform.issuer}${path}`, { redirect: 'manual' });

    it('answers client routes with index.html (no-cache, strict CSP) and hashed assets as immutable', async () => {
      const route = await get('/account/security/sessions');
      expect(route.status).toBe(200);
      expect(await route.text()).toContain('<div id="root">');
      expect(route.headers.get('cache-control')).toBe('no-cache');
      const csp = route.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(new RegExp(`connect-src [^;]*${new URL(platform.identityUrl).origin}`));
      expect(csp).not.toContain("'unsafe-eval'");
      const asset = await get('/account/assets/index-Ab12Cd34.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-type')).toContain('text/javascript');
      expect((await get('/account')).headers.get('location')).toBe('/account/');
    });

    it('serves its sign-in settings, 404s missing files and never leaves its directory', async () => {
      const settings = await (await get('/account/config.json')).json();
      expect(settings).toMatchObject({ issuer: platform.issuer, clientId: 'account-console' });
      expect((await get('/account/assets/missing-0000.js')).status).toBe(404);
      expect((await get('/account/..%2F..%2Fpackage.json')).status).toBe(404);
      expect((await get('/account/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
      // The admin console is not built here: a plain answer, not a crash.
      expect((await get('/console/')).status).toBe(404);
    });

    it('leaves the server-rendered self-service pages to their own routes', async () => {
      for (const page of ['/account/sign-up', '/account/reset-password?token=x', '/account/verify-email']) {
        const res = await get(page);
        expect(await res.text()).not.toContain('<div id="root">');
      }
    });
  });
});
