import { Browser, fetchJson, fetchJsonWithBearer, testSmtpUrl, waitForMail } from '@platform/testing';
import { decodeJwt } from 'jose';
import type { Page } from 'playwright-core';
import { checkAccessibility as axeCheck } from './support/accessibility';
import { useChromium, screenshotter } from './support/chromium';
import { AUTHZ_API, IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { eventually } from './support/rules';
import { signIn } from './support/sign-in';
import { consoleApp, grantRole, IDENTITY_ADMIN_SCOPES, identityApiToken } from './support/user-tokens';

const PASSWORD = 'acting for someone else, audited';
const TENANT = 'imp-a';
const OTHER_TENANT = 'imp-b';
const REASON = 'Ticket 4711: the invoices page is empty for this user';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const API_KEY_TYPE = 'urn:identity-platform:token-type:api-key';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

interface Act {
  sub: string;
  client_id?: string;
  tenant_id?: string;
  act?: Act;
}
const claimsOf = (token: string) => decodeJwt(token) as { sub: string; act?: Act; client_id?: string; scope?: string };

/**
 * Issue 16's audited impersonation, against the built platform: an administrator holding
 * users:impersonate starts a time-limited session as a user of their tenant (reason required),
 * opens the one-time start link and signs in as themselves; relying parties then get the user's
 * tokens naming the administrator in `act` (RFC 8693), without a refresh token. The account
 * console shows a banner; the user's own sensitive actions are refused (impersonation_forbidden);
 * the user is mailed; every step is in the audit trail; sideways (other tenant) and upward (a
 * user with more power) are refused; the session ends when the impersonation does. Plus RFC
 * 8693 delegation at the token endpoint: actor_token → act, nested act kept.
 */
describe('audited impersonation', () => {
  const chromium = useChromium();
  const platform = usePlatform('impersonation', { identity: { SMTP_URL: testSmtpUrl() } });
  let tenantId: string;
  let otherTenantId: string;
  let app: RelyingParty;
  let adminConsole: RelyingParty;
  const users: Record<string, { id: string; email: string }> = {};
  const shot = screenshotter('impersonation');

  beforeAll(async () => {
    tenantId = (await platform.createTenant(TENANT)).id;
    otherTenantId = (await platform.createTenant(OTHER_TENANT)).id;
    const role = await platform.identityAdmin('POST', `/api/v1/roles?tenantId=${tenantId}`, {
      name: 'helpdesk',
      description: 'Reads users and acts as them to reproduce their problems',
      permissions: ['users:read', 'users:write', 'users:impersonate'],
    });
    expect(role.status).toBe(201);
    for (const name of ['helpdesk', 'ada', 'grace', 'boss', 'admin']) {
      users[name] = await platform.createUser(tenantId, `${name}@imp-a.example`, PASSWORD);
    }
    users.bob = await platform.createUser(otherTenantId, 'bob@imp-b.example', PASSWORD);
    await platform.identityAdmin('PUT', `/api/v1/users/${users.helpdesk!.id}/profile?tenantId=${tenantId}`, {
      name: 'Hanna Helpdesk',
    });
    await grantRole(platform, tenantId, users.helpdesk!.id, 'helpdesk');
    await grantRole(platform, tenantId, users.boss!.id, 'tenant-admin');
    await grantRole(platform, tenantId, users.admin!.id, 'tenant-admin');
    adminConsole = await consoleApp(platform, tenantId);
    // A first-party app of the tenant asking for the identity API (offline_access: a refresh token if it were allowed one).
    app = await relyingParty(platform, {
      type: 'spa',
      trusted: true,
      tenantId,
      scopes: ['openid', 'profile', 'email', 'offline_access', 'identity.users.read'],
    });
  }, 240_000);

  const tokenOf = async (name: string) =>
    (await identityApiToken(adminConsole, users[name]!.email, PASSWORD, IDENTITY_ADMIN_SCOPES)).accessToken;
  const asUser = (token: string, method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${platform.identityUrl}${path}`, token, method, body);
  const start = (
    token: string,
    userId: string,
    body: Record<string, unknown> = { reason: REASON, durationMinutes: 30 },
  ) => asUser(token, 'POST', `/api/v1/users/${userId}/impersonations`, body);
  /** The user's audit trail, as an operator with identity.audit.read reads it. */
  const auditOf = async (userId: string) => {
    const token = await platform.adminToken('platform.admin identity.audit.read', IDENTITY_API);
    const res = await asUser(token, 'GET', `/api/v1/users/${userId}/audit-events?tenantId=${tenantId}&limit=100`);
    if (res.status !== 200) throw new Error(`audit trail: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items as { action: string; actor: string | null; details: Record<string, unknown> }[];
  };
  /** Whether the user's audit trail comes to show an impersonation ended for `reason` within `timeoutMs`. */
  const endsInTrail = (userId: string, reason: string, timeoutMs: number) =>
    eventually(
      async () =>
        (await auditOf(userId)).some(
          (e) => e.action === 'identity.user.impersonation_ended.v1' && e.details.reason === reason,
        ),
      timeoutMs,
    );
  const audited = (userId: string, action: string, actor: string) =>
    eventually(async () => (await auditOf(userId)).some((e) => e.action === action && e.actor === actor), 20_000);

  /** The start link opened in `browser`, then a relying party's code flow in which the administrator signs in as themselves. */
  async function actAs(browser: Browser, startUrl: string, admin: string) {
    const opened = await browser.follow(startUrl);
    expect(opened.status).toBe(200);
    const request = await authorizationRequest(app, 'openid profile email offline_access identity.users.read', {
      resource: IDENTITY_API,
    });
    const back = await signIn(browser, request.url, REDIRECT, { login: users[admin]!.email, password: PASSWORD });
    return redeem(app, back.location!, request);
  }

  it('users:impersonate is its own permission: a tenant administrator without it is refused (403)', async () => {
    const res = await start(await tokenOf('admin'), users.ada!.id);
    expect(res.status).toBe(403);
    const roles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantId}`);
    const tenantAdmin = (roles.body as { name: string; permissions: string[] }[]).find(
      (r) => r.name === 'tenant-admin',
    );
    expect(tenantAdmin!.permissions).toContain('users:write');
    expect(tenantAdmin!.permissions).not.toContain('users:impersonate');
  });

  it('refuses a user of another tenant (404), a user holding more power (403 upward), no reason (400)', async () => {
    const helpdesk = await tokenOf('helpdesk');
    const sideways = await start(helpdesk, users.bob!.id);
    expect(sideways.status).toBe(404);
    expect(sideways.body.error.code).toBe('user_not_found');
    // Even naming the other tenant: only platform operators act in other tenants.
    expect(
      (
        await asUser(helpdesk, 'POST', `/api/v1/users/${users.bob!.id}/impersonations?tenantId=${otherTenantId}`, {
          reason: REASON,
          durationMinutes: 5,
        })
      ).status,
    ).toBe(404);
    const upward = await start(helpdesk, users.boss!.id);
    expect(upward.status).toBe(403);
    expect(upward.body.error.code).toBe('impersonation_upward_refused');
    expect(upward.body.error.details.permissions).toEqual(expect.arrayContaining(['roles:write', 'tenants:write']));
    expect((await start(helpdesk, users.helpdesk!.id)).body.error.code).toBe('impersonation_not_allowed');
    expect((await start(helpdesk, users.ada!.id, { durationMinutes: 5 })).status).toBe(400);
    expect((await start(helpdesk, users.ada!.id, { reason: REASON, durationMinutes: 61 })).status).toBe(400);
    // Nothing was started: no alert, nothing in the trail.
    expect((await auditOf(users.boss!.id)).some((e) => e.action.includes('impersonation'))).toBe(false);
  });

  it("starts with a reason: the user is mailed, it is audited, and the relying party gets the user's tokens naming the administrator (act), no refresh token", async () => {
    const started = await start(await tokenOf('helpdesk'), users.ada!.id);
    expect(started.status).toBe(201);
    const { startUrl, expiresAt } = started.body as { startUrl: string; expiresAt: string };
    expect(startUrl).toMatch(new RegExp(`^${platform.issuer}/impersonation/start\\?ticket=[\\w-]+&tenant=${TENANT}$`));
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 60_000);

    const mail = await waitForMail(users.ada!.email, /administrator/i, 30_000);
    expect(mail.text).toContain('Hanna Helpdesk');
    expect(mail.text).toContain(REASON);
    expect(mail.html).toContain('Hanna Helpdesk');
    await expect(audited(users.ada!.id, 'identity.user.impersonation_started.v1', users.helpdesk!.id)).resolves.toBe(
      true,
    );

    const tokens = await actAs(new Browser(), startUrl, 'helpdesk');
    expect(tokens.refresh_token).toBeUndefined();
    const access = claimsOf(tokens.access_token);
    expect(access.sub).toBe(users.ada!.id);
    expect(access.act).toEqual({ sub: users.helpdesk!.id, tenant_id: tenantId });
    // The ID token names the administrator too (RFC 8693 §4.1): a relying party reading only it still knows who acts.
    const idToken = tokens.claims()!;
    expect(idToken.sub).toBe(users.ada!.id);
    expect(idToken.act).toEqual(access.act);

    // What the user may see and do, the administrator may; what only the user may do, not.
    expect((await asUser(tokens.access_token, 'GET', '/api/v1/me')).body.email).toBe(users.ada!.email);
    const banner = await asUser(tokens.access_token, 'GET', '/api/v1/me/impersonation');
    expect(banner.body).toMatchObject({ actorId: users.helpdesk!.id, actorName: 'Hanna Helpdesk', reason: REASON });
    const refused = {
      'password change': await asUser(tokens.access_token, 'POST', '/api/v1/me/password', {
        currentPassword: PASSWORD,
        newPassword: 'the administrator picks a new one',
      }),
      'MFA enrolment': await asUser(tokens.access_token, 'POST', '/api/v1/me/mfa/totp'),
      'MFA removal': await asUser(tokens.access_token, 'DELETE', '/api/v1/me/mfa/totp', { code: '123456' }),
      'passkey enrolment': await asUser(tokens.access_token, 'POST', '/api/v1/me/passkeys/registration-options'),
      'account deletion': await asUser(tokens.access_token, 'POST', '/api/v1/me/delete', { password: PASSWORD }),
    };
    for (const [action, res] of Object.entries(refused)) {
      expect([action, res.status, res.body.error?.code]).toEqual([action, 403, 'impersonation_forbidden']);
    }
    await expect(
      audited(users.ada!.id, 'identity.user.impersonation_action_refused.v1', users.helpdesk!.id),
    ).resolves.toBe(true);
    const trail = await auditOf(users.ada!.id);
    expect(
      trail.filter((e) => e.action === 'identity.user.impersonation_action_refused.v1').map((e) => e.details.action),
    ).toEqual(expect.arrayContaining(['password change', 'MFA enrolment', 'account deletion']));
    // The user's password still works: nothing was changed.
    const own = await signIn(new Browser(), (await authorizationRequest(app, 'openid')).url, REDIRECT, {
      login: users.ada!.email,
      password: PASSWORD,
    });
    expect(own.location).toMatch(/code=/);

    // The start link works once: opened again, its sign-in is just the administrator's own.
    const again = await actAs(new Browser(), startUrl, 'helpdesk');
    expect(claimsOf(again.access_token).sub).toBe(users.helpdesk!.id);
    expect(claimsOf(again.access_token).act).toBeUndefined();
    expect(again.claims()!.act).toBeUndefined();
    expect(again.refresh_token).toBeDefined();
  });

  it('a start link opened by someone else than the administrator who made it signs nobody in as the user', async () => {
    const { startUrl } = (await start(await tokenOf('helpdesk'), users.grace!.id)).body as { startUrl: string };
    // Grace herself (or whoever got the link) signs in: she is just herself.
    const tokens = await actAs(new Browser(), startUrl, 'grace');
    expect(claimsOf(tokens.access_token).act).toBeUndefined();
  });

  it('shows the banner on the account console (screenshot, axe) and ends from there, audited', async () => {
    const { startUrl } = (await start(await tokenOf('helpdesk'), users.ada!.id)).body as { startUrl: string };
    const context = await chromium.newContext({ viewport: { width: 1280, height: 800 } });
    const page: Page = await context.newPage();
    page.setDefaultTimeout(30_000);
    // The link leads to the account console, whose sign-in is the administrator's own.
    await page.goto(startUrl);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login').waitFor({ timeout: 60_000 });
    await page.fill('#login', users.helpdesk!.email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
    const banner = page.getByRole('status').filter({ hasText: 'on behalf of' });
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain(`You are signed in as`);
    await page.getByText('Hanna Helpdesk', { exact: false }).first().waitFor();
    await expect(banner.textContent()).resolves.toContain(REASON);
    await shot(page, 'banner-profile');
    const axe = await axeCheck(page, 'impersonation banner');
    expect(axe.blocking).toEqual([]);

    await page.getByRole('button', { name: 'End impersonation' }).click();
    await page.locator('button[name=logout][value=yes]').click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    await shot(page, 'ended-signed-out');
    await expect(endsInTrail(users.ada!.id, 'ended', 20_000)).resolves.toBe(true);
  }, 180_000);

  it('expiry ends it: no token from the session afterwards, and the trail says it expired', async () => {
    const { startUrl, expiresAt } = (
      await start(await tokenOf('helpdesk'), users.grace!.id, { reason: 'a short look', durationMinutes: 1 })
    ).body as { startUrl: string; expiresAt: string };
    const browser = new Browser();
    const tokens = await actAs(browser, startUrl, 'helpdesk');
    expect(claimsOf(tokens.access_token).act?.sub).toBe(users.helpdesk!.id);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, new Date(expiresAt).getTime() - Date.now() + 1_000)),
    );
    // The same browser session, asked again: it has ended with the impersonation, signing in is asked again.
    const request = await authorizationRequest(app, 'openid identity.users.read', { resource: IDENTITY_API });
    const back = await browser.follow(request.url, (url) => url.startsWith(REDIRECT));
    expect(back.location).toBeNull();
    expect(back.body).toContain('name="password"');
    const silent = await authorizationRequest(app, 'openid', { prompt: 'none' });
    const refused = await browser.follow(silent.url, (url) => url.startsWith(REDIRECT));
    expect(new URL(refused.location!).searchParams.get('error')).toBe('login_required');
    await expect(endsInTrail(users.grace!.id, 'expired', 60_000)).resolves.toBe(true);
    expect((await asUser(tokens.access_token, 'GET', '/api/v1/me/impersonation')).status).toBe(404);
  }, 180_000);

  describe('RFC 8693 delegation at the token endpoint (actor_token)', () => {
    let service: { clientId: string; clientSecret: string };
    let apiKey: string;

    beforeAll(async () => {
      const created = await platform.createClient({
        name: 'orders service',
        type: 'service',
        tenantId,
        grantTypes: ['client_credentials', TOKEN_EXCHANGE],
        scopes: ['identity.users.read'],
      });
      service = { clientId: created.clientId, clientSecret: created.clientSecret! };
      const key = await platform.authzAdmin('POST', '/api/v1/api-keys', {
        name: 'partner export',
        clientId: service.clientId,
        audience: IDENTITY_API,
        scopes: ['identity.users.read'],
      });
      expect(key.status).toBe(201);
      apiKey = key.body.key;
    });

    const tokenRequest = (form: Record<string, string>) =>
      fetchJson(`${platform.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: platform.basic(service.clientId, service.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams(form),
      });
    const ownToken = async () =>
      (await tokenRequest({ grant_type: 'client_credentials', scope: 'identity.users.read', resource: IDENTITY_API }))
        .body.access_token as string;

    it("names the actor in act, keeps a subject's act nested, and refuses a bad actor token (invalid_request)", async () => {
      const actor = await ownToken();
      const first = await tokenRequest({
        grant_type: TOKEN_EXCHANGE,
        subject_token: apiKey,
        subject_token_type: API_KEY_TYPE,
        actor_token: actor,
        actor_token_type: ACCESS_TOKEN_TYPE,
      });
      expect(first.status).toBe(200);
      const delegated = claimsOf(first.body.access_token);
      expect(delegated.act).toEqual({ sub: service.clientId, client_id: service.clientId });
      expect(delegated.sub).toBe(service.clientId);

      // The delegated token exchanged again, by a new actor: the earlier act stays, nested.
      const second = await tokenRequest({
        grant_type: TOKEN_EXCHANGE,
        subject_token: first.body.access_token,
        subject_token_type: ACCESS_TOKEN_TYPE,
        resource: IDENTITY_API,
        actor_token: await ownToken(),
        actor_token_type: ACCESS_TOKEN_TYPE,
      });
      expect(second.status).toBe(200);
      expect(claimsOf(second.body.access_token).act).toEqual({
        sub: service.clientId,
        client_id: service.clientId,
        act: { sub: service.clientId, client_id: service.clientId },
      });

      const bad = await tokenRequest({
        grant_type: TOKEN_EXCHANGE,
        subject_token: apiKey,
        subject_token_type: API_KEY_TYPE,
        actor_token: `${actor.slice(0, -4)}AAAA`,
        actor_token_type: ACCESS_TOKEN_TYPE,
      });
      expect([bad.status, bad.body.error]).toEqual([400, 'invalid_request']);
      const untyped = await tokenRequest({
        grant_type: TOKEN_EXCHANGE,
        subject_token: apiKey,
        subject_token_type: API_KEY_TYPE,
        actor_token: actor,
      });
      expect([untyped.status, untyped.body.error]).toEqual([400, 'invalid_request']);
      // Another client's token is not this caller's to act with.
      const foreign = await platform.adminToken('identity.users.read', IDENTITY_API);
      const stolen = await tokenRequest({
        grant_type: TOKEN_EXCHANGE,
        subject_token: apiKey,
        subject_token_type: API_KEY_TYPE,
        actor_token: foreign,
        actor_token_type: ACCESS_TOKEN_TYPE,
      });
      expect([stolen.status, stolen.body.error]).toEqual([400, 'invalid_request']);
      // The management API is another audience: an actor does not widen where a key reaches.
      expect(
        (
          await tokenRequest({
            grant_type: TOKEN_EXCHANGE,
            subject_token: apiKey,
            subject_token_type: API_KEY_TYPE,
            resource: AUTHZ_API,
            actor_token: actor,
            actor_token_type: ACCESS_TOKEN_TYPE,
          })
        ).body.error,
      ).toBe('invalid_target');
    });
  });
});
