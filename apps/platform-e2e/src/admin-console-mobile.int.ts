import type { Browser as Chromium, Page } from 'playwright-core';
import { checkAccessibility } from './support/accessibility';
import { ConsoleBrowser, signInToConsole } from './support/admin-console';
import { launchChromium, screenshotter } from './support/chromium';
import { type Platform, startPlatform } from './support/platform';

const OPERATOR = 'operator@mobile.example';
const OPERATOR_TEMPORARY = 'Wc4-obel-Ruta-8snm';
const OPERATOR_PASSWORD = 'Lh7-ekow-Simp-3dqy';
const ALICE = 'alice@acme.example';
const PASSWORD = 'Jt5-yaro-Bnel-2fuv';

/** A phone held upright (an iPhone 12–15's CSS viewport). */
const PHONE = { width: 390, height: 844 };

/**
 * Issue 15's "usable on a phone width": the operator signs in to the admin console at 390×844 and
 * visits the main screens through the burger menu. On every screen the page itself does not scroll
 * sideways (a wide table scrolls inside its own container), axe-core finds nothing serious or
 * critical, and a full-page screenshot goes to test-artifacts/screenshots/admin-console-mobile/.
 */
// A whole console journey, on a busy 2-core machine.
jest.setTimeout(240_000);

describe('admin console on a phone', () => {
  let platform: Platform;
  let chromium: Chromium;
  let page: Page;
  let acmeId: string;
  const consoleBrowser = new ConsoleBrowser(() => chromium);
  const { pageErrors } = consoleBrowser;
  const shot = screenshotter('admin-console-mobile');
  const consoleUrl = (path = '') => `${platform.issuer}/console/${path}`;

  /**
   * How far the page sticks out sideways beyond the viewport (0 or less when nothing does): the
   * scrolling width of the document, and the header's contents (fixed, it would not widen the
   * document: a button off its right edge cannot be reached at all).
   */
  const horizontalOverflow = () =>
    page.evaluate(() => {
      // The test project compiles without the DOM library: the page's globals through a local type.
      type Element = { getBoundingClientRect(): { right: number } };
      const g = globalThis as unknown as {
        innerWidth: number;
        document: { scrollingElement: { scrollWidth: number }; querySelectorAll(s: string): Element[] };
      };
      const header = [...g.document.querySelectorAll('header *')].map((e) => e.getBoundingClientRect().right);
      return Math.max(g.document.scrollingElement.scrollWidth, ...header) - g.innerWidth;
    });

  /** A screen as a person sees it on the phone: settled, screenshotted, no sideways scrolling, axe-core. */
  const screen = async (name: string) => {
    await page.waitForLoadState('networkidle');
    await shot(page, name);
    // One pixel of rounding allowed.
    const overflow = await horizontalOverflow();
    expect({ screen: name, overflow: overflow <= 1 ? 'none' : `${overflow}px` }).toEqual({
      screen: name,
      overflow: 'none',
    });
    await checkAccessibility(page, `console (phone) ${name}`);
  };

  const sections = () => page.getByRole('navigation', { name: 'Sections' });
  /** A section through the burger menu: the navigation is off screen until the burger opens it. */
  const nav = async (label: string) => {
    const link = sections().getByRole('link', { name: label, exact: true });
    expect(await link.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await link.waitFor({ state: 'visible' });
    await link.click();
    // Choosing a section closes the menu again.
    await link.waitFor({ state: 'hidden' });
  };

  beforeAll(async () => {
    [platform, chromium] = await Promise.all([
      startPlatform('admin_console_mobile', {
        identity: { BOOTSTRAP_OPERATOR_EMAIL: OPERATOR, BOOTSTRAP_OPERATOR_PASSWORD: OPERATOR_TEMPORARY },
      }),
      launchChromium(),
    ]);
    acmeId = (await platform.createTenant('acme')).id;
    await platform.createUser(acmeId, ALICE, PASSWORD);
    await platform.createClient({
      type: 'confidential',
      tenantId: acmeId,
      name: 'Acme Portal',
      redirectUris: ['https://portal.acme.example/callback'],
      scopes: ['openid', 'email'],
    });
    page = await consoleBrowser.open({ viewport: PHONE, isMobile: true, hasTouch: true });
  }, 180_000);

  afterAll(async () => {
    await consoleBrowser.close();
    await chromium?.close();
    await platform?.stop();
  });

  it('signs the operator in at phone width', async () => {
    await page.goto(consoleUrl());
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    await screen('sign-in');
    await signInToConsole(page, consoleUrl(), {
      tenant: 'platform',
      login: OPERATOR,
      password: OPERATOR_TEMPORARY,
      newPassword: OPERATOR_PASSWORD,
    });
    await page.getByText('You are a platform administrator').waitFor();
    await screen('overview');
  });

  it('opens the navigation from the burger menu', async () => {
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await sections().getByRole('link', { name: 'Tenants', exact: true }).waitFor({ state: 'visible' });
    await screen('navigation-open');
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await sections().getByRole('link', { name: 'Tenants', exact: true }).waitFor({ state: 'hidden' });
  });

  it('visits tenants, users, a user, applications, roles and the audit log', async () => {
    await nav('Tenants');
    await page.getByRole('cell', { name: 'acme', exact: true }).waitFor();
    await screen('tenants');

    // The tenant switcher is reachable on the phone too: atop the navigation, which closes once a tenant is chosen.
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await sections().locator('input[aria-label="Tenant"]').click();
    await page.getByRole('option', { name: /\(acme\)$/ }).click();
    await sections().getByRole('link', { name: 'Users', exact: true }).waitFor({ state: 'hidden' });

    await nav('Users');
    await page.getByRole('link', { name: ALICE }).waitFor();
    await screen('users');
    await page.getByRole('link', { name: ALICE }).click();
    await page.getByRole('heading', { name: ALICE }).waitFor();
    await screen('user-detail');
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await page.getByRole('table', { name: 'Sessions of the user' }).waitFor();
    await screen('user-sessions');
    await page.getByRole('tab', { name: 'Audit trail' }).click();
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    await screen('user-audit');

    await nav('Applications');
    await page.getByRole('link', { name: 'Acme Portal' }).waitFor();
    await screen('applications');

    await nav('Roles');
    await page.getByRole('row').filter({ hasText: 'tenant-admin' }).waitFor();
    await screen('roles');

    await nav('Audit log');
    await page.getByRole('table', { name: 'Audit entries' }).waitFor();
    await screen('audit');
  });

  it('showed no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
