import { readFileSync } from 'node:fs';
import { Browser } from '@platform/testing';
import * as oidc from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import * as speakeasy from 'speakeasy';
import { checkAccessibilityAloud as checkAccessibility } from './support/accessibility';
import { useChromium, screenshotter, waitsForState } from './support/chromium';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'my own account, in my own browser';
const TENANT = 'acct-ui';

/**
 * Issue 14 part C as a person uses it: the account console at /account (the built SPA, served by
 * the authorization server) in a real Chromium — sign in through the hosted login, each screen
 * checked with axe-core and photographed (test-artifacts/screenshots/browser-account-console/).
 */
describe('the account console in a real browser', () => {
  const chromium = useChromium();
  const platform = usePlatform('account_ui');
  let tenantId: string;
  let context: BrowserContext;
  let page: Page;
  const shot = screenshotter('browser-account-console');
  const cspViolations: string[] = [];

  beforeAll(async () => {
    tenantId = (await platform.createTenant(TENANT)).id;
    await platform.createUser(tenantId, 'ada@acct-ui.example', PASSWORD);
    context = await chromium.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    page = await watched(context);
  }, 180_000);

  async function watched(ctx: BrowserContext): Promise<Page> {
    const p = await ctx.newPage();
    // A screen that does not show fails its step soon, not at the suite's timeout.
    p.setDefaultTimeout(20_000);
    p.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    return p;
  }

  /** Opens /account signed out, names the organisation, and signs in on the hosted login page. */
  async function signInToConsole(p: Page, login: string) {
    await p.goto(`${platform.issuer}/account/?tenant=${TENANT}`);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.locator('#login').waitFor();
    await p.fill('#login', login);
    await p.fill('#password', PASSWORD);
    await p.click('button[type=submit]');
    await p.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
  }

  const until = waitsForState(shot);

  const section = (name: string) => page.getByRole('navigation').getByRole('link', { name }).click();
  const heading = (name: string) => page.getByRole('heading', { level: 2, name }).waitFor();

  it('signs in through the hosted login and shows the profile; changes it', async () => {
    await page.goto(`${platform.issuer}/account/?tenant=${TENANT}`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await shot(page, 'signed-out');
    await checkAccessibility(page, 'account signed out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login').waitFor();
    await shot(page, 'hosted-login');
    await page.fill('#login', 'ada@acct-ui.example');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await heading('Profile');
    expect(new URL(page.url()).pathname).toBe('/account/profile');

    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Picture URL').fill('https://example.com/ada.png');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').waitFor();
    await shot(page, 'profile');
    await checkAccessibility(page, 'account profile');
  });

  it('signs out another session: the other browser is really signed out', async () => {
    const other = await chromium.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const otherPage = await watched(other);
      await signInToConsole(otherPage, 'ada@acct-ui.example');

      await section('Sessions and devices');
      await heading('Sessions and devices');
      await until(page, 'sessions', async () => (await page.getByTestId('session').count()) === 2);
      await shot(page, 'sessions');
      await checkAccessibility(page, 'account sessions');
      await page.locator('[data-testid=session][data-current=false]').getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
      await page.getByText('Signed out', { exact: true }).waitFor();
      await until(page, 'sessions-after', async () => (await page.getByTestId('session').count()) === 1);

      // The other browser reloads: its platform session is gone, the silent sign-in fails.
      await otherPage.reload();
      await otherPage.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
      await shot(otherPage, 'other-browser-signed-out');
    } finally {
      await other.close();
    }
  });

  it("revokes a connected app's access: its refresh token fails", async () => {
    const mail = await relyingParty(platform, { type: 'spa', trusted: true, name: 'Mail' });
    const request = await authorizationRequest(mail, 'openid offline_access', { tenant: TENANT });
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'ada@acct-ui.example',
      password: PASSWORD,
    });
    const tokens = await redeem(mail, back.location!, request);

    await section('Connected apps');
    await heading('Connected apps');
    const card = page.locator(`[data-testid=grant][data-client="${mail.clientId}"]`);
    await card.waitFor();
    await shot(page, 'connected-apps');
    await checkAccessibility(page, 'account connected apps');
    await card.getByRole('button', { name: 'Remove access' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Access removed').waitFor();
    await card.waitFor({ state: 'detached' });
    await expect(oidc.refreshTokenGrant(mail.config, tokens.refresh_token!)).rejects.toThrow();
  });

  it('downloads my personal data', async () => {
    await section('Your data');
    await heading('Your data');
    await shot(page, 'your-data');
    await checkAccessibility(page, 'account your data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('personal-data.json');
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(data.account).toMatchObject({ email: 'ada@acct-ui.example', profile: { given_name: 'Ada' } });
  });

  it('lists linked accounts (none yet) and says how to link one', async () => {
    await section('Linked accounts');
    await heading('Linked accounts');
    await page.getByText('No linked accounts.').waitFor();
    await shot(page, 'linked-accounts');
    await checkAccessibility(page, 'account linked accounts');
  });

  it('enrols an authenticator app with its QR code, then regenerates the recovery codes', async () => {
    await section('Password and two-factor');
    await heading('Password and two-factor');
    await shot(page, 'security');
    await checkAccessibility(page, 'account security');
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await shot(page, 'totp-enrolment');
    await checkAccessibility(page, 'account totp enrolment');
    const code = (step: number) =>
      speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + step * 30 });
    await page.getByLabel('Code from your authenticator app').fill(code(0));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor({ timeout: 120_000 });
    const first = await codes.allTextContents();
    expect(first.length).toBeGreaterThanOrEqual(8);
    await shot(page, 'recovery-codes');
    await checkAccessibility(page, 'account recovery codes');
    await page.getByRole('button', { name: 'I have saved these codes' }).click();
    await page.getByText('Two-factor sign-in is on.', { exact: true }).first().waitFor();

    // Each code works once: the next time step's code replaces the recovery codes.
    await page.getByLabel('Code from your authenticator app').first().fill(code(1));
    await page.getByRole('button', { name: 'New recovery codes' }).click();
    await until(
      page,
      'recovery-codes-regenerated',
      async () => {
        const again = await codes.allTextContents();
        return again.length === first.length && again.join() !== first.join();
      },
      // Ten new recovery codes are ten password-strength hashes: slow on a loaded machine.
      120_000,
    );
    await shot(page, 'recovery-codes-regenerated');
  });

  it('is usable in German and at phone width', async () => {
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { level: 2, name: 'Passwort und Zwei-Faktor' }).waitFor();
    await shot(page, 'security-de');
    await checkAccessibility(page, 'account security (de)');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menü' }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Sitzungen und Geräte' }).click();
    await page.getByRole('heading', { level: 2, name: 'Sitzungen und Geräte' }).waitFor();
    await shot(page, 'sessions-phone-de');
    await checkAccessibility(page, 'account sessions (phone, de)');
    await page
      .getByLabel('Sprache')
      .first()
      .selectOption('en')
      .catch(() => undefined);
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('deletes my account after signing in again; it can no longer sign in', async () => {
    await platform.createUser(tenantId, 'bo@acct-ui.example', PASSWORD);
    const ctx = await chromium.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const p = await watched(ctx);
      await signInToConsole(p, 'bo@acct-ui.example');
      await p.getByRole('navigation').getByRole('link', { name: 'Your data' }).click();
      await p.getByRole('button', { name: 'Delete my account' }).click();
      // prompt=login: the hosted login asks for the password again, whatever the session.
      await p.locator('#password').waitFor();
      await shot(p, 'delete-reauthenticate');
      await p.fill('#login', 'bo@acct-ui.example').catch(() => undefined);
      await p.fill('#password', PASSWORD);
      await p.click('button[type=submit]');
      const dialog = p.getByRole('dialog', { name: 'Delete your account for good?' });
      await dialog.waitFor({ timeout: 20_000 });
      await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
      await shot(p, 'delete-confirm');
      await checkAccessibility(p, 'account delete confirmation');
      await dialog.getByRole('button', { name: 'Delete my account' }).click();
      await p.getByText('Your account was deleted.').waitFor();
      await shot(p, 'deleted');
    } finally {
      await ctx.close();
    }
    // The hosted login refuses the erased account.
    const mail = await relyingParty(platform, { type: 'spa', trusted: true, name: 'Mail 2' });
    const request = await authorizationRequest(mail, 'openid', { tenant: TENANT });
    await expect(
      signIn(new Browser(), request.url, REDIRECT, { login: 'bo@acct-ui.example', password: PASSWORD }),
    ).rejects.toThrow();
  });

  it('loads nothing the CSP refuses', () => {
    expect(cspViolations).toEqual([]);
  });
});
