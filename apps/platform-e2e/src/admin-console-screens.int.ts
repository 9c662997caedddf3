import { readFileSync } from 'node:fs';
import { Browser, eventually, sqlRows } from '@platform/testing';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import type { Browser as Chromium, Locator, Page } from 'playwright-core';
import { checkAccessibility } from './support/accessibility';
import { ConsoleBrowser, signInToConsole } from './support/admin-console';
import { launchChromium, localDateTime, screenshotter } from './support/chromium';
import { type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';
import { grantRole } from './support/user-tokens';

const OPERATOR = 'operator@screens.example';
const OPERATOR_TEMPORARY = 'Kd3-wuzo-Prel-7vny';
const OPERATOR_PASSWORD = 'Mf6-ixar-Tobe-2clq';
const ALICE = 'alice@acme.example';
const AUDITOR = 'auditor@acme.example';
const CAROL = 'carol@acme.example';
const PASSWORD = 'Gw8-yemo-Fral-5tuk';

/**
 * Issue 15's remaining console screens, as an operator uses them in Chromium against the built
 * platform: external identity providers (create, edit, "Test connection" with the platform's own
 * issuer as the discovery target, a broken one, delete), custom scopes and claims, API keys (the
 * key shown once, copied, revoked), and on a user's page their linked accounts (unlink), grants
 * (revoke: the refresh token then fails) and the GDPR export download. An auditor (no write
 * permissions, no IdP / scope / key permissions) sees none of those sections nor their actions.
 * Issue 16 on the user's page: their trusted devices (revoke) and the Impersonate dialog (reason
 * required, the one-time start link), which an auditor (no users:impersonate) is not offered.
 * axe-core on every screen; screenshots in test-artifacts/screenshots/admin-console-screens/.
 */
// A whole console journey per test, on a busy 2-core machine.
jest.setTimeout(240_000);

describe('admin console screens: identity providers, scopes, API keys, a user’s access', () => {
  let platform: Platform;
  let chromium: Chromium;
  let page: Page;
  let acmeId: string;
  let alice: { id: string };
  let portal: RelyingParty;
  let aliceTokens: oidc.TokenEndpointResponse;
  const consoleBrowser = new ConsoleBrowser(() => chromium);
  const { cspViolations, pageErrors } = consoleBrowser;
  const shot = screenshotter('admin-console-screens');
  const suiteStart = Date.now();
  const consoleUrl = (path = '') => `${platform.issuer}/console/${path}`;

  /**
   * Until the page's running transitions end (a dialog fading in), so a screenshot shows it settled;
   * endless animations (a loader) are not waited for.
   */
  const transitionsDone = () =>
    page.evaluate(() => {
      // The test project compiles without the DOM library: the page's animations through a local type.
      type Running = { finished: Promise<unknown>; effect: { getComputedTiming(): { endTime: number } } | null };
      const { document } = globalThis as unknown as { document: { getAnimations(): Running[] } };
      const finite = document.getAnimations().filter((a) => Number.isFinite(a.effect?.getComputedTiming().endTime));
      return Promise.all(finite.map((a) => a.finished.catch(() => undefined))).then(() => undefined);
    });

  /** A screen as a person sees it: settled, screenshotted, checked by axe-core. */
  const screen = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await transitionsDone();
    await shot(page, name);
    await checkAccessibility(page, `console ${name}`);
  };

  const newPage = async () => {
    page = await consoleBrowser.open();
  };

  const sections = () => page.getByRole('navigation', { name: 'Sections' });
  const nav = (label: string) => sections().getByRole('link', { name: label, exact: true }).click();
  const dialog = () => page.getByRole('dialog');
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });
  /** A field by the start of its label (a required field's accessible name ends in the required mark). */
  const field = (label: string) => dialog().getByLabel(new RegExp(`^${label}`));
  const addTag = async (label: string, value: string) => {
    await field(label).fill(value);
    await field(label).press('Enter');
    // Out of the field (on the dialog's title): its suggestion list closes and covers no button.
    await dialog().getByRole('heading').first().click();
  };
  /** Closes the dialog by a button of it and waits until it is gone (the next step may open another). */
  const closeDialog = async (button: string) => {
    await dialog().getByRole('button', { name: button }).last().click();
    await dialog().waitFor({ state: 'detached' });
  };
  /** Presses Tab until `target` has the keyboard focus (a few dozen stops at most). */
  const tabTo = async (target: Locator) => {
    for (let stop = 0; stop < 30; stop++) {
      await page.keyboard.press('Tab');
      // The test project compiles without the DOM library: the page's document through a local type.
      if (
        await target.evaluate(
          (e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        )
      )
        return;
    }
    throw new Error(`Tab never reached ${target}`);
  };
  const refreshes = (refreshToken: string) =>
    oidc.refreshTokenGrant(portal.config, refreshToken).then(
      () => true,
      () => false,
    );

  /** Alice signs in to an app of Acme with offline access: a grant with a refresh token. */
  const aliceUsesPortal = async () => {
    const request = await authorizationRequest(portal, 'openid email offline_access', { prompt: 'consent' });
    const back = await signIn(new Browser(), request.url, REDIRECT, { login: ALICE, password: PASSWORD });
    return redeem(portal, back.location!, request);
  };

  /** Alice's account at the provider, linked as a federated sign-in through it links it (the row the backend writes). */
  const linkAlice = async (subject: string) => {
    const idp = (await platform.identityAdmin('GET', `/api/v1/idps?tenantId=${acmeId}`)).body[0];
    const db = new Client({ connectionString: platform.identityDb.url });
    await db.connect();
    try {
      await db.query('INSERT INTO external_identities (user_id, provider_id, subject, email) VALUES ($1, $2, $3, $4)', [
        alice.id,
        idp.id,
        subject,
        ALICE,
      ]);
    } finally {
      await db.end();
    }
  };

  /** Rows of the authorization server's database (a trusted device, as it writes them). */
  const authzQuery = (sql: string, params: unknown[]) => sqlRows(platform.authzDb.url, sql, params);

  beforeAll(async () => {
    [platform, chromium] = await Promise.all([
      // The platform's own issuer (plain http on loopback) is the IdP whose connection is tested.
      startPlatform('admin_console_screens', {
        identity: {
          BOOTSTRAP_OPERATOR_EMAIL: OPERATOR,
          BOOTSTRAP_OPERATOR_PASSWORD: OPERATOR_TEMPORARY,
          OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true',
        },
      }),
      launchChromium(),
    ]);
    acmeId = (await platform.createTenant('acme')).id;
    alice = await platform.createUser(acmeId, ALICE, PASSWORD);
    const auditor = await platform.createUser(acmeId, AUDITOR, PASSWORD);
    await grantRole(platform, acmeId, auditor.id, 'auditor');
    portal = await relyingParty(platform, {
      type: 'spa',
      trusted: true,
      tenantId: acmeId,
      name: 'Acme Portal',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
    });
    aliceTokens = await aliceUsesPortal();
    expect(aliceTokens.refresh_token).toEqual(expect.any(String));
    await newPage();
  }, 180_000);

  afterAll(async () => {
    await consoleBrowser.close();
    await chromium?.close();
    await platform?.stop();
  });

  it('the operator signs in and acts in Acme', async () => {
    await signInToConsole(page, consoleUrl(), {
      tenant: 'platform',
      login: OPERATOR,
      password: OPERATOR_TEMPORARY,
      newPassword: OPERATOR_PASSWORD,
    });
    await page.locator('header input[aria-label="Tenant"]').click();
    await page.getByRole('option', { name: 'ACME (acme)' }).click();
    for (const label of ['Identity providers', 'Scopes and claims', 'API keys']) {
      await sections().getByRole('link', { name: label, exact: true }).waitFor();
    }
  });

  it('adds an identity provider, tests its connection (discovery of the platform’s own issuer), edits and deletes one', async () => {
    await nav('Identity providers');
    await page.getByText('No external identity providers yet.').waitFor();
    await screen('identity-providers-empty');
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    await field('Slug').fill('platform-itself');
    await field('Display name').fill('Platform itself');
    await field('Issuer URL').fill(platform.issuer);
    await field('Client id').fill('acme-downstream');
    await field('Client secret').fill('an upstream client secret');
    await screen('idp-create');
    await closeDialog('Save');
    await row('Platform itself').waitFor();
    await screen('identity-providers');

    await page.getByRole('button', { name: 'Test connection of Platform itself' }).click();
    await dialog().getByText('The connection works').waitFor();
    const found = await dialog().innerText();
    expect(found).toContain(`${platform.issuer}/.well-known/openid-configuration`);
    expect(found).toContain(`${platform.issuer}/jwks`);
    expect(found).toMatch(/Discovery succeeded: [1-9]\d* signing key\(s\) published/);
    await screen('idp-test-connection');
    await closeDialog('Close');

    await page.getByRole('button', { name: 'Edit Platform itself' }).click();
    await field('Display name').fill('Platform SSO');
    await field('Create a user at first sign-in').check();
    await screen('idp-edit');
    await closeDialog('Save');
    await row('Platform SSO').getByText('creates users').waitFor();
    const idps = await platform.identityAdmin('GET', `/api/v1/idps?tenantId=${acmeId}`);
    expect(idps.body).toEqual([
      expect.objectContaining({ displayName: 'Platform SSO', jitProvisioning: true, hasClientSecret: true }),
    ]);

    // A provider whose issuer publishes no discovery document: the test says so, with the HTTP status.
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    await field('Slug').fill('broken');
    await field('Display name').fill('Broken SSO');
    await field('Issuer URL').fill(`${platform.issuer}/no-such-issuer`);
    await field('Client id').fill('nobody');
    await closeDialog('Save');
    await row('Broken SSO').waitFor();
    await page.getByRole('button', { name: 'Test connection of Broken SSO' }).click();
    await dialog().getByText('The provider answered with an error').waitFor();
    expect(await dialog().innerText()).toContain('http_error');
    await screen('idp-test-failed');
    await closeDialog('Close');

    // A slug twice: the API's code as a human message.
    await page.getByRole('button', { name: 'Add identity provider' }).click();
    await field('Slug').fill('broken');
    await field('Display name').fill('Broken again');
    await field('Issuer URL').fill(`${platform.issuer}/no-such-issuer`);
    await field('Client id').fill('nobody');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await page.getByText('An identity provider with this slug already exists.').waitFor();
    await closeDialog('Cancel');

    await row('Broken SSO').getByRole('button', { name: 'Delete' }).click();
    await dialog().getByText('Delete Broken SSO?').waitFor();
    await screen('idp-delete-confirm');
    await dialog().getByRole('button', { name: 'Delete' }).click();
    await row('Broken SSO').waitFor({ state: 'detached' });
    await row('Platform SSO').waitFor();
  });

  it('creates a custom scope releasing a claim, and refuses a scope of OpenID Connect with a message', async () => {
    await nav('Scopes and claims');
    await page.getByText('No custom scopes yet.').waitFor();
    await page.getByRole('button', { name: 'Create scope' }).click();
    await field('Scope').fill('email');
    await field('Claim').fill('acme_contact');
    await addTag('User claims it carries', 'email');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await page
      .getByText('This scope is taken: OpenID Connect, an API or another custom scope already uses it.')
      .waitFor();

    await field('Scope').fill('urn:acme:profile');
    await field('Claim').fill('acme_profile');
    await addTag('User claims it carries', 'preferred_username');
    await screen('scope-create');
    await closeDialog('Create');
    await row('urn:acme:profile').waitFor();
    await screen('scopes');
    const scopes = await platform.authzAdmin('GET', `/api/v1/custom-scopes?tenantId=${acmeId}`);
    expect(scopes.body).toEqual([
      expect.objectContaining({
        scope: 'urn:acme:profile',
        claim: 'acme_profile',
        source: ['email', 'preferred_username'],
        tenantId: acmeId,
        clientId: null,
      }),
    ]);
  });

  it('creates an API key shown once (copied), then revokes it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: platform.issuer });
    await nav('API keys');
    await page.getByText('No API keys yet.').waitFor();
    await page.getByRole('button', { name: 'Create API key' }).click();
    await field('Name').fill('Nightly export');
    await addTag('Scopes', 'identity.users.read');
    await screen('api-key-create');
    await dialog().getByRole('button', { name: 'Create' }).click();
    await dialog().getByText('Copy the key now').waitFor();
    const key = await dialog().getByLabel('API key').inputValue();
    expect(key).toMatch(/^ipk_/);
    await dialog().getByRole('button', { name: 'Copy' }).click();
    await dialog().getByRole('button', { name: 'Copied' }).waitFor();
    // The test project compiles without the DOM library: the page's clipboard through a local type.
    type WithClipboard = { navigator: { clipboard: { readText(): Promise<string> } } };
    expect(await page.evaluate(() => (globalThis as unknown as WithClipboard).navigator.clipboard.readText())).toBe(
      key,
    );
    await screen('api-key-created');
    await closeDialog('Done');

    // Shown once: the list has its prefix, never the key.
    await row('Nightly export').getByText('active').waitFor();
    expect(await page.getByText(key).count()).toBe(0);
    const [listed] = (await platform.authzAdmin('GET', `/api/v1/api-keys?tenantId=${acmeId}`)).body;
    expect(key.startsWith(listed.prefix)).toBe(true);
    expect(await row('Nightly export').innerText()).toContain(listed.prefix);

    await row('Nightly export').getByRole('button', { name: 'Revoke' }).click();
    await dialog().getByText('Revoke the key Nightly export?').waitFor();
    await dialog().getByRole('button', { name: 'Revoke' }).click();
    await row('Nightly export').getByText('revoked').waitFor();
    await screen('api-keys');
    expect((await platform.authzAdmin('GET', `/api/v1/api-keys/${listed.id}`)).body.revokedAt).toEqual(
      expect.any(String),
    );
  });

  it("shows a user's linked accounts (unlink), grants (revoke: the refresh token fails) and downloads their data", async () => {
    await linkAlice('upstream-subject-of-alice');

    // The list is keyboard-navigable: from the search field, Tab reaches Alice's row and Enter opens her page.
    await nav('Users');
    await page.getByRole('link', { name: ALICE }).waitFor();
    await page.getByLabel('Email starts with').focus();
    await tabTo(page.getByRole('link', { name: ALICE }));
    await screen('users-keyboard-focus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: ALICE }).waitFor();
    await page.getByRole('tab', { name: 'Linked accounts' }).click();
    await row('upstream-subject-of-alice').getByText('Platform SSO').waitFor();

    // Sessions and grants name the application (its client id beneath).
    await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
    await row(portal.clientId).getByText('Acme Portal', { exact: true }).waitFor();
    await screen('user-sessions');
    await screen('user-linked-accounts');

    await page.getByRole('tab', { name: 'Grants' }).click();
    await row(portal.clientId).getByText('Acme Portal', { exact: true }).waitFor();
    expect(await row(portal.clientId).innerText()).toContain('offline_access');
    await screen('user-grants');
    // The refresh token works until the grant is revoked (a refresh rotates it: the successor is the one to try).
    const rotated = await oidc.refreshTokenGrant(portal.config, aliceTokens.refresh_token!);

    await page.getByRole('tab', { name: 'Personal data' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download personal data (JSON)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`personal-data-${alice.id}.json`);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(JSON.stringify(exported)).toContain(ALICE);
    await screen('user-export');

    // Destructive actions confirm first.
    await page.getByRole('tab', { name: 'Grants' }).click();
    await row(portal.clientId).getByRole('button', { name: 'Revoke' }).click();
    await dialog().getByText('Revoke the grant of Acme Portal?').waitFor();
    await dialog().getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No grants.').waitFor();
    expect(await refreshes(rotated.refresh_token!)).toBe(false);

    await page.getByRole('tab', { name: 'Linked accounts' }).click();
    await row('upstream-subject-of-alice').getByRole('button', { name: 'Unlink' }).click();
    await dialog().getByRole('button', { name: 'Unlink' }).click();
    await page.getByText('No linked accounts.').waitFor();
    expect(
      (await platform.identityAdmin('GET', `/api/v1/users/${alice.id}/external-identities?tenantId=${acmeId}`)).body,
    ).toEqual([]);
  });

  it('locks the user: the sessions list follows (ended, none listed once unlocked)', async () => {
    await aliceUsesPortal();
    await page.getByRole('tab', { name: 'Sessions', exact: true }).click();
    await row(portal.clientId).first().waitFor();
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await dialog().getByLabel('Reason').fill('phone stolen');
    await dialog().getByRole('button', { name: 'Lock', exact: true }).click();
    await dialog().waitFor({ state: 'detached' });
    await page.getByText('Reason: phone stolen').waitFor();
    // No reload, no other tab: the list is asked again (the API lists no sessions of a locked user).
    await page.getByText('This user is locked: that ended all their sessions').waitFor();
    expect(await row(portal.clientId).count()).toBe(0);
    await screen('user-locked-sessions');
    const unlocking = Date.now();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await dialog().getByLabel('Reason').fill('phone found');
    await dialog().getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
    // The lock's event reaches the authorization server a moment later: the list asks until its sessions are gone.
    await page.getByText('No active sessions.').waitFor({ timeout: 60_000 });
    console.log(`no sessions listed ${Date.now() - unlocking} ms after the unlock`);
  });

  it("filters the user's audit trail by action, actor and time with the audit log's filters", async () => {
    const tenants = (await platform.identityAdmin('GET', '/api/v1/tenants?limit=100')).body.items;
    const operatorsTenant = tenants.find((t: { slug: string }) => t.slug === 'platform').id;
    const operators = await platform.identityAdmin(
      'GET',
      `/api/v1/users?tenantId=${operatorsTenant}&email=${encodeURIComponent(OPERATOR)}`,
    );
    const operatorId: string = operators.body.items[0].id;

    await page.getByRole('tab', { name: 'Audit trail' }).click();
    const form = page.getByRole('form', { name: "Filter the user's audit trail" });
    const field = (label: string) => form.getByLabel(label, { exact: true });
    const filter = () => form.getByRole('button', { name: 'Filter', exact: true }).click();
    const entries = () => page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr').allInnerTexts();
    // The user is the page's: no User field.
    expect(await field('User').count()).toBe(0);

    await field('Action').fill('identity.user.locked.v1');
    await filter();
    // The unfiltered rows stay until the filtered answer arrives.
    const onlyTheLock = await eventually(
      async () => {
        const rows = await entries();
        return rows.length > 0 && rows.every((row) => row.includes('identity.user.locked.v1')) ? rows : null;
      },
      { timeoutMs: 30_000, everyMs: 200, failure: async () => `rows: ${(await entries()).join(' | ')}` },
    );
    expect(onlyTheLock).toEqual([expect.stringContaining('identity.user.locked.v1')]);
    await field('Action').fill('');

    // What the operator (an id: they are no user of Acme) did to Alice since the suite began.
    await field('Actor').fill(operatorId);
    await field('From').fill(await localDateTime(page, suiteStart - 60_000));
    await filter();
    await page.getByRole('cell', { name: 'identity.user.unlocked.v1', exact: true }).first().waitFor();
    // (The previous answer held only the lock: the unlock's row is this answer's.)
    await screen('user-audit-filtered');
    const rows = await entries();
    for (const entry of rows) expect(entry).toContain(`user ${operatorId}`);
    expect(rows.join('\n')).toContain('identity.user.locked.v1');

    // Nothing in the future; an end before the start is refused in the form, as the API refuses it.
    await field('From').fill(await localDateTime(page, Date.now() + 3_600_000));
    await filter();
    await page.getByRole('cell', { name: 'No entries.' }).waitFor();
    await field('To').fill(await localDateTime(page, Date.now() - 3_600_000));
    await filter();
    await form.getByText('The end must be after the start').waitFor();

    await form.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('cell', { name: 'identity.user.locked.v1', exact: true }).first().waitFor();
  });

  it("lists the user's trusted devices (revoke one) and starts an impersonation: reason required, the one-time link shown", async () => {
    await page.getByRole('tab', { name: 'Devices' }).click();
    await page.getByText('No trusted devices.').waitFor();
    await screen('user-devices-empty');

    // A browser Alice trusted with a passkey (the row the authorization server writes at "remember this device").
    await authzQuery(
      `INSERT INTO trusted_devices (tenant_id, user_id, device_hash, trust_level, user_agent_family, trusted_at, last_seen_at, trusted_until)
       VALUES ($1, $2, $3, 'strong', 'Firefox on Windows', now(), now(), now() + interval '14 days')`,
      [acmeId, alice.id, 'ab'.repeat(32)],
    );
    // The tab's panel is mounted afresh (it lists again) when it is chosen again.
    await page.getByRole('tab', { name: 'Roles' }).click();
    await page.getByRole('tab', { name: 'Devices' }).click();
    await row('Firefox on Windows').getByText('Strong (passkey)').waitFor();
    await screen('user-devices');
    await row('Firefox on Windows').getByRole('button', { name: 'Revoke' }).click();
    await dialog().getByText('Stop trusting this device?').waitFor();
    await screen('user-device-revoke-confirm');
    await dialog().getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('No trusted devices.').waitFor();
    expect(await authzQuery('SELECT revoked_at FROM trusted_devices WHERE user_id = $1', [alice.id])).toEqual([
      { revoked_at: expect.any(Date) },
    ]);

    // Impersonate: nothing starts without a reason; then the start link (once, in this browser).
    await page.getByRole('button', { name: 'Impersonate' }).click();
    const startButton = dialog().getByRole('button', { name: 'Start impersonation' });
    expect(await startButton.isDisabled()).toBe(true);
    expect(await field('Duration \\(minutes\\)').inputValue()).toBe('15');
    await screen('impersonate-dialog');
    await field('Reason').fill('ticket 4711: the invoice page is blank for her');
    await field('Duration \\(minutes\\)').fill('10');
    expect(await startButton.isDisabled()).toBe(false);
    await startButton.click();
    await dialog().getByText('Open the link in this browser').waitFor();
    const link = await dialog().getByLabel('Start link').inputValue();
    const start = new URL(link);
    expect(start.origin + start.pathname).toBe(`${platform.issuer}/impersonation/start`);
    expect(start.searchParams.get('ticket')).toEqual(expect.any(String));
    expect(start.searchParams.get('tenant')).toBe('platform');
    const open = dialog().getByRole('link', { name: 'Open in a new tab' });
    expect(await open.getAttribute('href')).toBe(link);
    expect(await open.getAttribute('target')).toBe('_blank');
    expect(await dialog().innerText()).toContain('You sign in as yourself first');
    await screen('impersonate-link');
    await closeDialog('Done');

    // A locked user cannot be impersonated: the API's code in words, and the code itself.
    const carol = await platform.createUser(acmeId, CAROL, PASSWORD);
    await platform.identityAdmin('POST', `/api/v1/users/${carol.id}/lock?tenantId=${acmeId}`, { reason: 'test' });
    await nav('Users');
    await page.getByRole('link', { name: CAROL }).click();
    await page.getByRole('heading', { name: CAROL }).waitFor();
    await page.getByRole('button', { name: 'Impersonate' }).click();
    await field('Reason').fill('ticket 4712');
    await dialog().getByRole('button', { name: 'Start impersonation' }).click();
    await dialog()
      .getByText('This user is locked, disabled or deleted: they cannot sign in. (user_inactive)')
      .waitFor();
    await screen('impersonate-refused');
    await closeDialog('Cancel');
  });

  it('hides the sections and actions an auditor lacks the permissions for', async () => {
    await linkAlice('another-subject-of-alice');
    await aliceUsesPortal();
    await newPage();
    await signInToConsole(page, consoleUrl(), { tenant: 'acme', login: AUDITOR, password: PASSWORD });
    const labels = await sections().getByRole('link').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['Users', 'Roles', 'Audit log']));
    for (const hidden of ['Identity providers', 'Scopes and claims', 'API keys']) expect(labels).not.toContain(hidden);
    await page.goto(consoleUrl('api-keys'));
    await page.getByText('Not allowed', { exact: true }).waitFor({ timeout: 60_000 });
    await page.goto(consoleUrl('identity-providers'));
    await page.getByText('Not allowed', { exact: true }).waitFor({ timeout: 60_000 });

    await nav('Users');
    await page.getByRole('link', { name: ALICE }).click();
    await page.getByRole('heading', { name: ALICE }).waitFor();
    // No users:impersonate: no Impersonate button.
    expect(await page.getByRole('button', { name: 'Impersonate' }).count()).toBe(0);
    // Reading is allowed; nothing to revoke or unlink is offered.
    await page.getByRole('tab', { name: 'Linked accounts' }).click();
    await row('another-subject-of-alice').waitFor();
    expect(await page.getByRole('button', { name: 'Unlink' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Grants' }).click();
    await row(portal.clientId).first().waitFor();
    await screen('auditor-user-grants');
    expect(await page.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Personal data' }).click();
    await page.getByRole('button', { name: 'Download personal data (JSON)' }).waitFor();
  });

  it('showed no CSP violation or page error on any screen', () => {
    expect({ cspViolations, pageErrors }).toEqual({ cspViolations: [], pageErrors: [] });
  });
});
