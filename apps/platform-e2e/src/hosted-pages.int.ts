import type { BrowserContext, Page } from 'playwright-core';
import * as speakeasy from 'speakeasy';
import { checkAccessibility } from './support/accessibility';
import { useChromium, screenshotter } from './support/chromium';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { startTotpEnrolment } from './support/user-tokens';

const PASSWORD = 'hosted pages in a real browser 7';
const ADA = 'ada@pages.example';
const BOB = 'bob@pages.example';
const LOCKED = 'lee@locked.pages.example';
/** The tenant's own CDN (answered by the browser's route table, like the app's redirect URI). */
const BRAND_ORIGIN = 'https://cdn.brand.example';
const THEME_CSS = 'main { border-top: 6px solid rgb(200, 0, 0); }';
const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#ffd400"/></svg>';

/**
 * The hosted pages as a person meets them in Chromium (issue 14 part A): every page in English
 * and German (ui_locales) with an axe-core check (0 serious/critical), the login page's links,
 * the recovery-code sign-in by clicking its link, account switching with prompt=login, the
 * locked-account message and the provider's error pages. Screenshots land in
 * test-artifacts/screenshots/hosted-pages/.
 */
describe('hosted pages in a real browser', () => {
  const chromium = useChromium();
  const platform = usePlatform('hosted_pages');
  let app: RelyingParty;
  let consentApp: RelyingParty;
  let lockedApp: RelyingParty;
  let brandApp: RelyingParty;
  let totpSecret: string;
  let recoveryCodes: string[];
  const users: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const requestLogs = new Map<Page, { urls: string[]; seen: number }>();
  const cspViolations: string[] = [];
  const shot = screenshotter('hosted-pages');

  beforeAll(async () => {
    const tenantId = (await platform.createTenant('pages', { branding: { primaryColor: '#7a3db8' } })).id;
    const lockedTenant = (
      await platform.createTenant('pages-locked', {
        lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 120, maxLockSeconds: 120 },
      })
    ).id;
    const brandTenant = (
      await platform.createTenant('pages-brand', {
        branding: {
          primaryColor: '#ffd400',
          logoUrl: `${BRAND_ORIGIN}/logo.svg`,
          customCssUrl: `${BRAND_ORIGIN}/theme.css`,
        },
      })
    ).id;
    users.ada = (await platform.createUser(tenantId, ADA, PASSWORD)).id;
    users.bob = (await platform.createUser(tenantId, BOB, PASSWORD)).id;
    await platform.createUser(lockedTenant, LOCKED, PASSWORD);

    // Ada set up an authenticator app earlier (through the account API).
    const enrolment = await startTotpEnrolment(platform, tenantId, ADA, PASSWORD);
    totpSecret = enrolment.secret;
    const confirmed = await enrolment.confirm(totp());
    expect(confirmed.status).toBe(200);
    lastStep = Math.floor(Date.now() / 30_000);
    recoveryCodes = confirmed.body.recoveryCodes;

    app = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    consentApp = await relyingParty(platform, { type: 'confidential', name: 'Acme Reports', tenantId });
    lockedApp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: lockedTenant });
    brandApp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: brandTenant });
  });

  // One browser profile per test, closed after it (a dozen open profiles slow a busy machine's Chromium down).
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  function totp(steps = 0): string {
    return speakeasy.totp({ secret: totpSecret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + steps * 30 });
  }

  // A TOTP code is accepted once, and never one of a time step before the last one used (replay
  // protection), within one step of now: each sign-in takes the next step, waiting for it when needed.
  let lastStep = 0;
  async function freshTotp(): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(lastStep + 1, now - 1);
      if (step <= now + 1) {
        lastStep = step;
        return speakeasy.totp({ secret: totpSecret, encoding: 'base32', time: step * 30 });
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  /** A fresh browser profile whose "app" (the client's redirect URI) answers in place. */
  async function newPage(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
    const context = await chromium.newContext({ viewport: { width: 900, height: 800 }, colorScheme });
    contexts.push(context);
    await context.route(`${BRAND_ORIGIN}/**`, (route) =>
      route.request().url().endsWith('.css')
        ? route.fulfill({ status: 200, contentType: 'text/css', body: THEME_CSS })
        : route.fulfill({ status: 200, contentType: 'image/svg+xml', body: LOGO_SVG }),
    );
    await context.route(`${new URL(REDIRECT).origin}/**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>App</title><h1>Back in the app</h1>',
      }),
    );
    const page = await context.newPage();
    const log = { urls: [] as string[], seen: 0 };
    requestLogs.set(page, log);
    page.on('request', (r) => void (r.isNavigationRequest() && log.urls.push(r.url())));
    page.on('console', (message) => {
      // The hosted pages' own (not a browser error page's, should the app's address fail to load).
      const onHostedPage = page.url().startsWith(platform.issuer) && message.location().url.startsWith(platform.issuer);
      if (onHostedPage && /Content Security Policy|Refused to/i.test(message.text())) {
        cspViolations.push(`${page.url().slice(0, 100)}: ${message.text().slice(0, 120)}`);
      }
    });
    return page;
  }

  /** Starts a sign-in at /authorize; resolves on the first hosted page. */
  async function authorize(page: Page, rp: RelyingParty, extra: Record<string, string> = {}) {
    const request = await authorizationRequest(rp, 'openid profile email', extra);
    await page.goto(request.url);
    return request;
  }

  const heading = (page: Page) => page.locator('h1').first().textContent();
  const at = (page: Page, title: string) => page.locator('h1', { hasText: title }).waitFor({ timeout: 15_000 });
  /**
   * The next request of this page to the app's redirect URI (the authorization response), read from the
   * browser's request log rather than from the page it shows: found even if the browser could not load it.
   */
  async function backInApp(page: Page): Promise<string> {
    const log = requestLogs.get(page)!;
    for (let waited = 0; waited < 15_000; waited += 250) {
      const index = log.urls.findIndex((url, i) => i >= log.seen && url.startsWith(REDIRECT));
      if (index >= 0) {
        // Let that navigation end before the test navigates on, or the next goto is interrupted by it.
        // On a busy machine Chromium may first show its error page and reload the app's address a
        // second later: wait for the app's own page, then skip past that reload in the log too, so the
        // next call does not take the reload for the next authorization response.
        await page
          .waitForURL((url) => url.toString().startsWith(REDIRECT), { timeout: 10_000 })
          .then(() => page.locator('h1', { hasText: 'Back in the app' }).waitFor({ timeout: 10_000 }))
          .catch(() => undefined);
        await page.waitForLoadState('load').catch(() => undefined);
        log.seen = log.urls.length;
        return log.urls[index]!;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`never back in the app; last pages: ${log.urls.slice(-6).join(' → ')}`);
  }

  async function password(page: Page, login: string, secret = PASSWORD) {
    await page.fill('#login', login);
    await page.fill('#password', secret);
    await page.click('button[type=submit]');
  }

  const LANGUAGES = [
    {
      locale: 'en',
      signIn: 'Sign in',
      mfa: 'Two-step verification',
      consent: 'Allow access?',
      forgot: 'Forgot password?',
      create: 'Create account',
    },
    {
      locale: 'de',
      signIn: 'Anmelden',
      mfa: 'Bestätigung in zwei Schritten',
      consent: 'Zugriff erlauben?',
      forgot: 'Passwort vergessen?',
      create: 'Konto erstellen',
    },
  ];

  describe.each(LANGUAGES)('in $locale', (lang) => {
    it('the login page: its language, "Forgot password?" and "Create account" with the tenant context, accessible', async () => {
      const page = await newPage();
      await authorize(page, app, { ui_locales: lang.locale });
      await at(page, lang.signIn);
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      await shot(page, `login-${lang.locale}`);
      await checkAccessibility(page, `login (${lang.locale})`);
      const forgot = await page
        .getAttribute(`a:has-text("${lang.forgot}")`, 'href', { timeout: 2_000 })
        .catch(() => null);
      const create = await page
        .getAttribute(`a:has-text("${lang.create}")`, 'href', { timeout: 2_000 })
        .catch(() => null);
      expectRule(
        'issue 14: the login page links "Forgot password?" to the reset page, with the tenant',
        forgot,
      ).toMatch(/^\/account\/forgot-password\?.*tenant=pages/);
      expectRule('issue 14: "Create account" when the tenant allows self-registration', create).toMatch(
        /^\/account\/sign-up\?.*tenant=pages/,
      );
    });

    it('a wrong password, the MFA step, the consent page: each in the language, accessible', async () => {
      const page = await newPage();
      await authorize(page, consentApp, { ui_locales: lang.locale });
      await at(page, lang.signIn);
      await password(page, ADA, 'not the password');
      await page.locator('[role=alert]').waitFor();
      await shot(page, `login-error-${lang.locale}`);
      await checkAccessibility(page, `login with an error (${lang.locale})`);
      await password(page, ADA);
      await at(page, lang.mfa);
      await shot(page, `mfa-${lang.locale}`);
      await checkAccessibility(page, `mfa (${lang.locale})`);
      await page.fill('#code', await freshTotp());
      await page.click('button[type=submit]');
      await at(page, lang.consent);
      await shot(page, `consent-${lang.locale}`);
      await checkAccessibility(page, `consent (${lang.locale})`);
      await page.click('form:nth-of-type(1) button[type=submit]');
      await backInApp(page);
    });

    it("the provider's own pages (error, logout, device, expired): a sentence for a person, the code small", async () => {
      const page = await newPage();
      await page.goto(
        `${platform.issuer}/authorize?client_id=no-such-client&response_type=code&scope=openid&ui_locales=${lang.locale}`,
      );
      await page.locator('h1').waitFor();
      const body = (await page.textContent('main'))!;
      expectRule('issue 14: no developer wording on error pages', body).not.toMatch(/client is invalid/);
      expect(await page.textContent('.technical')).toContain('invalid_client');
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      await shot(page, `provider-error-${lang.locale}`);
      await checkAccessibility(page, `provider error (${lang.locale})`);

      await page.goto(`${platform.issuer}/device?ui_locales=${lang.locale}`);
      await page.locator('h1').waitFor();
      await shot(page, `device-input-${lang.locale}`);
      await checkAccessibility(page, `device code input (${lang.locale})`);

      await page.goto(`${platform.issuer}/interaction/expired-or-unknown?lang=${lang.locale}`);
      await page.locator('h1').waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe(lang.locale);
      await shot(page, `expired-${lang.locale}`);
      await checkAccessibility(page, `sign-in expired (${lang.locale})`);
    });
  });

  it('issue 14: "Use a recovery code instead", clicked after the password step, signs in with a recovery code', async () => {
    const page = await newPage();
    await authorize(page, app);
    await at(page, 'Sign in');
    await password(page, ADA);
    await at(page, 'Two-step verification');
    await page.click('a:has-text("Use a recovery code instead")');
    await page
      .locator('label[for=code]', { hasText: 'Recovery code' })
      .waitFor({ timeout: 10_000 })
      .catch(() => null);
    const shown = `${page.url()} ${await heading(page)}`;
    expectRule('issue 14: the recovery-code link opens the recovery-code form (it 404ed)', shown).toMatch(
      /Two-step verification$/,
    );
    await shot(page, 'mfa-recovery-code');
    await checkAccessibility(page, 'mfa recovery code');
    await page.fill('#code', recoveryCodes[0]!);
    await page.click('button[type=submit]');
    expect(await backInApp(page)).toContain('code=');
  });

  it('issue 14: account switching: prompt=login with a session shows who is signed in, and another person signs in', async () => {
    const page = await newPage();
    const first = await authorize(page, app);
    await at(page, 'Sign in');
    await password(page, BOB);
    const bobBack = await backInApp(page);
    expect((await redeem(app, bobBack, first)).claims()!.sub).toBe(users.bob);

    // Someone else at the same browser: the app asks for a fresh sign-in.
    const second = await authorize(page, app, { prompt: 'login' });
    await at(page, 'Sign in');
    await shot(page, 'login-prompt-login');
    const notYou = await page.locator('a', { hasText: 'Not you?' }).count();
    const signedInAs = await page
      .locator('.info')
      .textContent()
      .catch(() => null);
    await password(page, ADA);
    await at(page, 'Two-step verification');
    await page.fill('#code', await freshTotp());
    await page.click('button[type=submit]');
    const ended = await backInApp(page).catch(async (error: Error) => {
      await shot(page, 'account-switch-stuck');
      return `${error.message} ${(await page.textContent('body'))?.slice(0, 200)}`;
    });
    expectRule('issue 14: the second person is signed in (it ended on "interaction session not found")', ended).toMatch(
      /^https:\/\/app\.example\.test\/callback\?code=/,
    );
    expect((await redeem(app, ended, second)).claims()!.sub).toBe(users.ada);
    expectRule('issue 14: the login page says who is signed in, with a "Not you?" link', {
      notYou,
      signedInAs,
    }).toEqual({
      notYou: 1,
      signedInAs: expect.stringContaining(BOB),
    });
  });

  it('issue 14: "Not you?" starts over at the login page for another account', async () => {
    const page = await newPage();
    await authorize(page, app);
    await at(page, 'Sign in');
    await password(page, BOB);
    await backInApp(page);
    const request = await authorize(page, app, { prompt: 'login' });
    await at(page, 'Sign in');
    await page.click('a:has-text("Not you?")');
    await at(page, 'Sign in');
    expect(await page.locator('.info').count()).toBe(0);
    await password(page, ADA);
    await at(page, 'Two-step verification');
    await page.fill('#code', await freshTotp());
    await page.click('button[type=submit]');
    expect((await redeem(app, await backInApp(page), request)).claims()!.sub).toBe(users.ada);
  });

  it('issue 14: a locked account is told so after the right password, with the way out (reset)', async () => {
    const page = await newPage();
    await authorize(page, lockedApp);
    await at(page, 'Sign in');
    for (let i = 0; i < 3; i++) {
      await password(page, LOCKED, `guess ${i}`);
      await page.locator('[role=alert]').waitFor();
    }
    await password(page, LOCKED);
    await page.locator('[role=alert]', { hasText: 'locked' }).waitFor({ timeout: 10_000 });
    await shot(page, 'login-locked');
    await checkAccessibility(page, 'login, account locked');
    const reset = await page.getAttribute('[role=alert] a', 'href', { timeout: 2_000 }).catch(() => null);
    expectRule('issue 14: the locked-account message links to the reset path', reset).toMatch(
      /^\/account\/forgot-password\?.*tenant=pages-locked/,
    );
  });

  it.each(['light', 'dark'] as const)(
    "issue 14: the tenant's logo, colour and custom CSS (its origin alone in style-src), in %s mode",
    async (scheme) => {
      const page = await newPage(scheme);
      const request = await authorizationRequest(brandApp, 'openid', {});
      const response = await page.goto(request.url);
      await at(page, 'Sign in');
      const csp = (await response!.allHeaders())['content-security-policy'];
      expectRule("issue 14: the tenant stylesheet's origin, and only it, joins style-src", csp).toMatch(
        new RegExp(`style-src 'self' 'nonce-[^']+' ${BRAND_ORIGIN.replace(/\./g, '\\.')};`),
      );
      expect(await page.textContent('.brand')).toContain('PAGES-BRAND');
      expect(await page.getAttribute('.brand img', 'src')).toBe(`${BRAND_ORIGIN}/logo.svg`);
      // A string, evaluated in the page (this project's TypeScript has no DOM types).
      const styles = (await page.evaluate(`(() => {
        const style = (selector) => getComputedStyle(document.querySelector(selector));
        return {
          border: style('main').borderTopColor,
          body: style('body').backgroundColor,
          button: style('button[type=submit]').backgroundColor,
          text: style('button[type=submit]').color,
        };
      })()`)) as { border: string; body: string; button: string; text: string };
      expectRule("issue 14: the tenant's custom CSS applies", styles.border).toBe('rgb(200, 0, 0)');
      expectRule('issue 14: the tenant colour, with readable text on it', [styles.button, styles.text]).toEqual([
        'rgb(255, 212, 0)',
        'rgb(17, 17, 17)',
      ]);
      expectRule('issue 14: dark mode follows the system', styles.body).toBe(
        scheme === 'dark' ? 'rgb(17, 19, 23)' : 'rgb(244, 245, 247)',
      );
      await shot(page, `login-branded-${scheme}`);
      await checkAccessibility(page, `login, branded, ${scheme}`);

      // The provider's own pages wear the client's tenant's branding too.
      await page.goto(
        `${platform.issuer}/authorize?client_id=${brandApp.clientId}&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fevil.example%2F`,
      );
      await page.locator('.technical').waitFor();
      expect(await page.textContent('.brand')).toContain('PAGES-BRAND');
      await shot(page, `provider-error-branded-${scheme}`);
      await checkAccessibility(page, `provider error, branded, ${scheme}`);
    },
  );

  it('DESIGN §7: every page above worked under its strict CSP', () => {
    expectRule('no CSP violations on the hosted pages', cspViolations).toEqual([]);
  });
});
