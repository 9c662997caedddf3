import { Browser, fetchJson } from '@platform/testing';
import * as oidc from 'openid-client';
import type { Browser as Chromium, Locator, Page } from 'playwright-core';
import { checkAccessibility } from './support/accessibility';
import { ConsoleBrowser, signInToConsole } from './support/admin-console';
import { launchChromium, localDateTime, screenshotter } from './support/chromium';
import { AUTHZ_API, type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty, type RelyingParty } from './support/relying-party';
import { eventually } from './support/rules';
import { signIn } from './support/sign-in';
import { startWebApp } from './support/web-app';

const OPERATOR = 'operator@console.example';
const OPERATOR_TEMPORARY = 'Tq8-vexo-Lumb-4kzr';
const OPERATOR_PASSWORD = 'Rn2-oply-Wask-9hfe';
const ADMIN = 'admin@acme.example';
const ADMIN_TEMPORARY = 'Zp5-ukel-Morv-3bti';
const ADMIN_PASSWORD = 'Hy7-drif-Caln-8wqo';
const ALICE = 'alice@acme.example';
const ALICE_PASSWORD = 'Bv4-nuto-Sker-6jmy';

/**
 * Issue 15's must-show, as people use the admin console in Chromium against the built platform:
 * the platform operator (bootstrapped in the operators' tenant) creates a tenant with branding and
 * its administrator; that administrator sees only their tenant, registers a web app (secret shown
 * once) with which a relying party signs a user in, creates and assigns a role, revokes a session
 * (the refresh token then fails), locks and unlocks the user, and reads those actions in the audit
 * log; platform-only pages say "not allowed" and the API refuses. axe-core on every screen;
 * screenshots in test-artifacts/screenshots/admin-console/.
 */
// A whole console journey per test, on a busy 2-core machine.
jest.setTimeout(240_000);

describe('admin console', () => {
  let platform: Platform;
  let chromium: Chromium;
  let page: Page;
  let acmeId: string;
  let aliceId: string;
  let adminId: string;
  const journeyStart = Date.now();
  let webApp: Awaited<ReturnType<typeof startWebApp>> | undefined;
  const consoleBrowser = new ConsoleBrowser(() => chromium);
  const { cspViolations, pageErrors } = consoleBrowser;
  /** Bearer tokens the console sent, by API origin (to try the APIs with the tenant admin's own token). */
  const tokensSeen = new Map<string, string>();
  const shot = screenshotter('admin-console');
  const consoleUrl = (path = '') => `${platform.issuer}/console/${path}`;

  /** A screen as a person sees it: settled, screenshotted, checked by axe-core. */
  const screen = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await shot(page, name);
    await checkAccessibility(page, `console ${name}`);
  };

  const newPage = async () => {
    page = await consoleBrowser.open();
    page.on('request', (request) => {
      const auth = request.headers().authorization;
      if (auth?.startsWith('Bearer ')) tokensSeen.set(new URL(request.url()).origin, auth.slice(7));
    });
  };

  /** Console sign-in at a tenant, a screenshot after each password step. */
  const consoleSignIn = (tenant: string, login: string, password: string, newPassword?: string) =>
    signInToConsole(page, consoleUrl(), { tenant, login, password, newPassword }, async (step) => {
      await page.waitForLoadState();
      await shot(page, `${tenant}-${step}`);
    });

  const nav = async (label: string) => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  };
  const dialog = () => page.getByRole('dialog');

  beforeAll(async () => {
    [platform, chromium] = await Promise.all([
      startPlatform('admin_console', {
        identity: { BOOTSTRAP_OPERATOR_EMAIL: OPERATOR, BOOTSTRAP_OPERATOR_PASSWORD: OPERATOR_TEMPORARY },
      }),
      launchChromium(),
    ]);
    await newPage();
  }, 180_000);

  afterAll(async () => {
    await consoleBrowser.close();
    await chromium?.close();
    await webApp?.stop();
    await platform?.stop();
  });

  it('the platform operator signs in (temporary password changed) and sees every tenant', async () => {
    await page.goto(consoleUrl());
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    await screen('sign-in');
    await consoleSignIn('platform', OPERATOR, OPERATOR_TEMPORARY, OPERATOR_PASSWORD);
    await shot(page, 'operator-signed-in');
    expect({ url: page.url(), main: await page.locator('main').innerText() }).toMatchObject({
      url: consoleUrl(),
      main: expect.stringContaining('You are a platform administrator'),
    });
    await screen('operator-overview');
    await nav('Tenants');
    await page.getByRole('cell', { name: 'platform', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'default', exact: true }).waitFor();
    await screen('tenants');
  });

  it('creates a tenant with branding and a tenant administrator', async () => {
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await dialog().getByLabel('Slug').fill('acme');
    await dialog().getByLabel('Display name').fill('Acme Corp');
    await dialog().getByLabel('Brand colour').fill('#0b7285');
    await screen('tenant-create');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();
    await page.getByLabel('Logo URL').fill('https://acme.example/logo.svg');
    await screen('tenant-settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').waitFor();
    const tenants = await platform.identityAdmin('GET', '/api/v1/tenants?limit=100');
    const acme = tenants.body.items.find((t: { slug: string }) => t.slug === 'acme');
    acmeId = acme.id;
    expect(acme.settings.branding).toMatchObject({ primaryColor: '#0b7285', logoUrl: 'https://acme.example/logo.svg' });

    // Act in Acme: the tenant switcher.
    await page.locator('header input[aria-label="Tenant"]').click();
    await page.getByRole('option', { name: 'Acme Corp (acme)' }).click();
    // The built-in tenant-admin role includes application management (the tenant admin registers a web app below).
    await nav('Roles');
    const tenantAdminRow = page.getByRole('row').filter({ hasText: 'tenant-admin' });
    await tenantAdminRow.waitFor();
    expect(await tenantAdminRow.innerText()).toMatch(/authz-clients:read, authz-clients:write/);
    await screen('roles');

    await nav('Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    await dialog().getByLabel('Email').fill(ADMIN);
    await dialog().locator('input[type=password]').fill(ADMIN_TEMPORARY);
    await screen('user-create');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: ADMIN }).waitFor();
    adminId = page.url().split('/').pop()!;
    await page.getByRole('combobox', { name: 'Assign roles' }).click();
    await page.getByRole('option', { name: 'tenant-admin' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('cell', { name: 'tenant-admin', exact: true }).waitFor();
    await screen('user-detail');
  });

  it("shows the platform's signing keys (timeline), APIs and system health to the operator", async () => {
    await nav('Signing keys');
    await page.getByText('active').first().waitFor();
    await screen('signing-keys');
    await nav('APIs');
    await page.getByText(AUTHZ_API).waitFor();
    await screen('apis');
    await nav('System');
    await page.getByText('Authorization server:').waitFor();
    await screen('system');
  });

  it('the tenant admin signs in and sees only their tenant; platform-only pages say not allowed', async () => {
    await newPage();
    await consoleSignIn('acme', ADMIN, ADMIN_TEMPORARY, ADMIN_PASSWORD);
    expect(await page.locator('main').innerText()).toContain('You administer this tenant');
    const sections = page.getByRole('navigation', { name: 'Sections' });
    expect(await sections.getByRole('link').allTextContents()).toEqual([
      'Overview',
      'Users',
      'Applications',
      'Roles',
      'Identity providers',
      'Audit log',
      'Tenant settings',
    ]);
    // No tenant switcher: their own tenant's name.
    expect(await page.getByLabel('Tenant').textContent()).toBe('Acme Corp');
    await screen('tenant-admin-overview');
    // A platform-only console URL (a reload: the console signs in again silently).
    await page.goto(consoleUrl('signing-keys'));
    await page.getByText('Not allowed', { exact: true }).waitFor({ timeout: 60_000 });
    await screen('not-allowed');
    await page.goto(consoleUrl('tenants'));
    await page.getByText('Not allowed', { exact: true }).waitFor({ timeout: 60_000 });
  });

  it('registers a web app (the secret shown once) with which a relying party signs a user in', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.issuer });
    webApp = await startWebApp(platform, acmeId, {
      register: async (base) => {
        await page.goto(consoleUrl());
        await nav('Applications');
        await page.getByRole('button', { name: 'Register application' }).waitFor();
        await screen('applications');
        await page.getByRole('button', { name: 'Register application' }).click();
        await dialog().getByLabel('Web application').check();
        await screen('app-wizard-type');
        await dialog().getByRole('button', { name: 'Next' }).click();
        await dialog().getByLabel('Name').fill('Acme Notes');
        for (const [label, value] of [
          ['Redirect URIs', `${base}/callback`],
          ['Post-logout redirect URIs', `${base}/signed-out`],
        ]) {
          // A required field's accessible name ends in the required mark: match the label's start.
          const field = dialog().getByLabel(new RegExp(`^${label}`));
          await field.fill(value);
          await field.press('Enter');
        }
        await screen('app-wizard-details');
        await dialog().getByRole('button', { name: 'Register' }).click();
        await dialog().getByText('Copy the secret now').waitFor();
        const clientId = await dialog().getByLabel('Client id').inputValue();
        const clientSecret = await dialog().getByLabel('Client secret').inputValue();
        await dialog().getByRole('button', { name: 'Copy' }).nth(1).click();
        await dialog().getByRole('button', { name: 'Copied' }).waitFor();
        // The test project compiles without the DOM library: the page's clipboard through a local type.
        type WithClipboard = { navigator: { clipboard: { readText(): Promise<string> } } };
        expect(await page.evaluate(() => (globalThis as unknown as WithClipboard).navigator.clipboard.readText())).toBe(
          clientSecret,
        );
        await screen('app-wizard-credentials');
        await dialog().getByRole('button', { name: 'Done' }).click();
        // Shown once: the application's page has no secret to show, only a rotation.
        await page.getByRole('link', { name: 'Acme Notes' }).click();
        await page.getByRole('button', { name: 'Rotate secret' }).waitFor();
        expect(await page.getByText(clientSecret).count()).toBe(0);
        expect(await page.getByLabel('Client secret').count()).toBe(0);
        await screen('application-detail');
        return { clientId, clientSecret };
      },
    });

    // The tenant admin's own tokens, straight at the APIs: platform-only resources are refused.
    const authzToken = tokensSeen.get(new URL(platform.issuer).origin)!;
    expect((await fetchJson(`${platform.issuer}/api/v1/signing-keys`, bearer(authzToken))).status).toBe(403);
    const identityToken = tokensSeen.get(new URL(platform.identityUrl).origin)!;
    const operatorsTenant = (await platform.identityAdmin('GET', '/api/v1/tenants?limit=100')).body.items.find(
      (t: { slug: string }) => t.slug === 'platform',
    );
    expect(
      (await fetchJson(`${platform.identityUrl}/api/v1/tenants/${operatorsTenant.id}`, bearer(identityToken))).status,
    ).toBe(404);
    expect(
      (await fetchJson(`${platform.identityUrl}/api/v1/tenants?limit=100`, bearer(identityToken))).body.items,
    ).toHaveLength(1);

    // A user of the tenant, created in the console, signs in to the relying party with those credentials.
    await nav('Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    await dialog().getByLabel('Email').fill(ALICE);
    await dialog().locator('input[type=password]').fill(ALICE_PASSWORD);
    await dialog().getByLabel('Temporary password (must be changed at first sign-in)').uncheck();
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: ALICE }).waitFor();
    aliceId = page.url().split('/').pop()!;

    const rpContext = await chromium.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const rp = await rpContext.newPage();
      await rp.goto(webApp.url);
      await rp.click('#sign-in');
      await rp.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 60_000 });
      await rp.fill('#login', ALICE);
      await rp.fill('#password', ALICE_PASSWORD);
      await rp.click('button[type=submit]');
      await rp.locator('button:has-text("Allow")').click({ timeout: 60_000 });
      await rp.locator('#greeting').waitFor({ timeout: 60_000 });
      expect(await rp.textContent('#greeting')).toContain(ALICE);
      expect(JSON.parse((await rp.textContent('#claims'))!)).toMatchObject({ aud: webApp.clientId, tenant_id: acmeId });
    } finally {
      await rpContext.close();
    }
  });

  it('creates a role and assigns it', async () => {
    await nav('Roles');
    await page.getByRole('button', { name: 'Create role' }).click();
    await dialog().getByLabel('Name').fill('support');
    await dialog().getByLabel('Description').fill('Answers users');
    const permissions = dialog().getByLabel('Permissions');
    for (const permission of ['users:read', 'audit:read']) {
      await permissions.fill(permission);
      await permissions.press('Enter');
    }
    // The suggestions close once a permission is added: Save is not under them.
    await page.getByRole('listbox').waitFor({ state: 'detached', timeout: 5_000 });
    await screen('role-create');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByRole('link', { name: 'support', exact: true }).click();
    await page.getByRole('heading', { name: 'support', exact: true }).waitFor();
    expect(await page.locator('main').innerText()).toContain('users:read, audit:read');
    await screen('role-detail');

    await page.goto(consoleUrl(`users/${aliceId}`));
    await page.getByRole('heading', { name: ALICE }).waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Assign roles' }).click();
    await page.getByRole('option', { name: 'support', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.getByRole('cell', { name: 'support', exact: true }).waitFor();
    await screen('user-roles');
    const roles = await platform.identityAdmin('GET', `/api/v1/users/${aliceId}/roles?tenantId=${acmeId}`);
    expect(roles.body.map((r: { name: string }) => r.name)).toEqual(['support']);
  });

  it('revokes a session of the user: the refresh token from it fails', async () => {
    // Alice signs in to an app that keeps a refresh token.
    const app: RelyingParty = await relyingParty(platform, { type: 'confidential', tenantId: acmeId });
    const request = await authorizationRequest(app, 'openid offline_access', { prompt: 'consent' });
    const back = await signIn(new Browser(), request.url, REDIRECT, { login: ALICE, password: ALICE_PASSWORD });
    const tokens = await redeem(app, back.location!, request);
    expect(tokens.refresh_token).toBeDefined();

    await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
    const row = page.getByRole('row').filter({ hasText: app.clientId });
    await row.waitFor();
    await screen('user-sessions');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await screen('confirm-revoke');
    await dialog().getByRole('button', { name: 'Revoke' }).click();
    await row.waitFor({ state: 'detached' });
    await expect(oidc.refreshTokenGrant(app.config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('locks and unlocks the user, with a reason', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await dialog().getByLabel('Reason').fill('suspicious sign-ins');
    await screen('confirm-lock');
    await dialog().getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByText('Reason: suspicious sign-ins').waitFor();
    await dialog().waitFor({ state: 'detached' });
    await screen('user-locked');
    expect((await platform.identityAdmin('GET', `/api/v1/users/${aliceId}?tenantId=${acmeId}`)).body).toMatchObject({
      status: 'locked',
      statusReason: 'suspicious sign-ins',
    });
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await dialog().getByLabel('Reason').fill('confirmed by phone');
    await dialog().getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    const alice = await platform.identityAdmin('GET', `/api/v1/users/${aliceId}?tenantId=${acmeId}`);
    expect(alice.body.status).toBe('active');
  });

  it('reads the audit entries of those actions, by action, actor, user and time', async () => {
    await nav('Audit log');
    const field = (label: string) => page.getByLabel(label, { exact: true });
    const filter = () => page.getByRole('button', { name: 'Filter', exact: true }).click();
    for (const action of ['identity.user.locked.v1', 'identity.user.unlocked.v1', 'identity.user.roles_changed.v1']) {
      await field('Action').fill(action);
      await filter();
      await eventuallyVisible(page.getByRole('cell', { name: action, exact: true }).first(), () =>
        page.getByRole('button', { name: 'Refresh' }).click(),
      );
    }
    await field('Action').fill('');

    // What the tenant admin (by email) did to Alice (by email) since this journey began.
    await field('Actor').fill(ADMIN);
    await field('User').fill(ALICE);
    await field('From').fill(await localDateTime(page, journeyStart - 60_000));
    await filter();
    await page.getByRole('cell', { name: 'identity.user.unlocked.v1', exact: true }).first().waitFor();
    await screen('audit-filtered');
    const rows = await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr').allInnerTexts();
    for (const row of rows) expect(row).toMatch(new RegExp(`user ${aliceId}[\\s\\S]*user ${adminId}`));
    expect(rows.map((row) => row.match(/identity\.user\.[a-z_]+\.v1/)?.[0])).toEqual(
      expect.arrayContaining([
        'identity.user.created.v1',
        'identity.user.roles_changed.v1',
        'identity.user.locked.v1',
        'identity.user.unlocked.v1',
      ]),
    );
    // Nothing yet in the future; an end before the start is refused in the form, as the API refuses it.
    await field('From').fill(await localDateTime(page, Date.now() + 3_600_000));
    await filter();
    await page.getByRole('cell', { name: 'No entries.' }).waitFor();
    await field('To').fill(await localDateTime(page, Date.now() - 3_600_000));
    await filter();
    await page.getByText('The end must be after the start').waitFor();
    await screen('audit-filter-error');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('cell', { name: 'identity.user.unlocked.v1', exact: true }).first().waitFor();
    await screen('audit-log');
  });

  it('showed no CSP violation or page error on any screen', () => {
    expectNoBrowserErrors();
  });

  const expectNoBrowserErrors = () =>
    expect({ cspViolations, pageErrors }).toEqual({ cspViolations: [], pageErrors: [] });
});

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** Audit entries are written with the change they record; refresh until the entry shows. */
async function eventuallyVisible(locator: Locator, refresh: () => Promise<unknown>) {
  const shown = await eventually(
    async () => (await locator.isVisible()) || (await refresh().then(() => false)),
    20_000,
    500,
  );
  if (!shown) throw new Error(`not visible: ${locator}`);
}
