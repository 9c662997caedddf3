import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import { checkAccessibility } from './support/accessibility';
import { signInToAccountConsole } from './support/account-console';
import { launchChromium, screenshotter } from './support/chromium';
import { downstreamClientAt, registerPartnerSso, UPSTREAM_ON_LOOPBACK } from './support/federation';
import { type Platform, startPlatform } from './support/platform';
import { expectRule } from './support/rules';

const PASSWORD = 'linked accounts, named properly';
const TENANT = 'linkers';

/**
 * Issue 14, the account console's linked accounts: the provider is shown by its name, and a
 * signed-in user links an account at one of the tenant's IdPs from the console (a second platform
 * is the upstream OpenID provider), then signs in with it. Screenshots in
 * test-artifacts/screenshots/account-linking/.
 */
describe('linking an external account from the account console', () => {
  let upstream: Platform;
  let platform: Platform;
  let chromium: Chromium;
  let tenantId: string;
  let ada: { id: string };
  const contexts: BrowserContext[] = [];
  const shot = screenshotter('account-linking');

  beforeAll(async () => {
    [upstream, platform, chromium] = await Promise.all([
      // Another host name than the downstream's 127.0.0.1: cookies ignore ports, and the two platforms'
      // session cookies (same names) would otherwise replace each other in the one browser.
      startPlatform('link_up', {}, { issuerHost: 'localhost' }),
      // The upstream is plain http on loopback: allowed only with private-network calls opened.
      startPlatform('link_down', UPSTREAM_ON_LOOPBACK),
      launchChromium(),
    ]);
    const partner = await upstream.createTenant('partner');
    await upstream.createUser(partner.id, 'ada.upstream@partner.example', PASSWORD);
    const upstreamClient = await downstreamClientAt(upstream, partner.id, platform, 'Linkers (downstream)');
    tenantId = (await platform.createTenant(TENANT)).id;
    ada = await platform.createUser(tenantId, 'ada@linkers.example', PASSWORD);
    await platform.createUser(tenantId, 'bob@linkers.example', PASSWORD);
    // Neither auto-linking nor provisioning: only an explicit link connects the two accounts.
    const idp = await registerPartnerSso(platform, tenantId, upstream, upstreamClient, {
      jitProvisioning: false,
      autoLinkVerifiedEmail: false,
    });
    expect(idp.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await chromium?.close();
    await Promise.all([platform?.stop(), upstream?.stop()]);
  });

  async function browser(): Promise<Page> {
    const context = await chromium.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    return page;
  }

  const signInToConsole = (page: Page, login: string) =>
    signInToAccountConsole(page, platform.issuer, TENANT, { login, password: PASSWORD });

  const linkedScreen = async (page: Page) => {
    await page.getByRole('navigation').getByRole('link', { name: 'Linked accounts' }).click();
    await page.getByRole('heading', { level: 2, name: 'Linked accounts' }).waitFor();
  };

  /** On the upstream platform's login page (each test's browser is new there too). */
  async function upstreamSignIn(page: Page) {
    await page.waitForURL((url) => url.origin === upstream.issuer && url.pathname.startsWith('/interaction/'));
    await page.locator('#login').waitFor();
    await shot(page, 'upstream-login');
    await page.fill('#login', 'ada.upstream@partner.example');
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
  }

  it('links the upstream account from the console, shows it by name, and it signs the user in', async () => {
    const page = await browser();
    await signInToConsole(page, 'ada@linkers.example');
    await linkedScreen(page);
    await page.getByText('No linked accounts.').waitFor();
    const linkButton = page.getByRole('button', { name: 'Link Partner SSO' });
    // The tenant's providers load after the links.
    await linkButton.waitFor().catch(() => undefined);
    expectRule('issue 14: the console can link a new external account', await linkButton.count()).toBe(1);
    await checkAccessibility(page, 'linked accounts (none)');
    await shot(page, 'linked-none');

    await linkButton.click();
    await upstreamSignIn(page);
    await page.getByText('Partner SSO is now linked to your account.').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/account/linked-accounts');
    const card = page.getByRole('list', { name: 'Linked accounts' }).getByRole('listitem');
    expectRule('issue 14: linked accounts show the provider by name', await card.textContent()).toContain(
      'Partner SSO',
    );
    expect(await card.textContent()).toContain('ada.upstream@partner.example');
    expect(await page.getByRole('button', { name: 'Link Partner SSO' }).count()).toBe(0);
    await checkAccessibility(page, 'linked accounts (linked)');
    await shot(page, 'linked-partner');

    const links = await platform.identityAdmin(
      'GET',
      `/api/v1/users/${ada.id}/external-identities?tenantId=${tenantId}`,
    );
    expect(links.body).toEqual([expect.objectContaining({ providerName: 'Partner SSO', providerSlug: 'partner-sso' })]);

    // A new browser: "Sign in with Partner SSO" on the hosted login is now Ada's local account.
    const other = await browser();
    await other.goto(`${platform.issuer}/account/?tenant=${TENANT}`);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.click('a:has-text("Sign in with Partner SSO")');
    await upstreamSignIn(other);
    await other.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
    expect(await other.getByText('ada@linkers.example').count()).toBeGreaterThan(0);
  });

  it('refuses an upstream account that is already linked to another user, and says so', async () => {
    const page = await browser();
    await signInToConsole(page, 'bob@linkers.example');
    await linkedScreen(page);
    await page.getByRole('button', { name: 'Link Partner SSO' }).click();
    await upstreamSignIn(page);
    await page.getByText('That account is already linked to another user here.').waitFor({ timeout: 60_000 });
    expect(await page.getByText('No linked accounts.').count()).toBe(1);
    await checkAccessibility(page, 'linked accounts (taken)');
    await shot(page, 'linked-taken');
  });

  it('a callback without this browser’s pending link links nothing', async () => {
    const res = await fetch(`${platform.issuer}/interaction/callback/federated?state=link.forged&code=x`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const next = await fetch(new URL(res.headers.get('location')!, platform.issuer), { redirect: 'manual' });
    expect(next.headers.get('location')).toBe('/account/linked-accounts?link_error=expired');
  });
});
