import { fetchJson } from '@platform/testing';
import type { Browser as Chromium, BrowserContext, Page } from 'playwright-core';
import * as speakeasy from 'speakeasy';
import { checkAccessibility } from './support/accessibility';
import { launchChromium, screenshotter } from './support/chromium';
import { type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { consoleApp, identityApiToken } from './support/user-tokens';

const PASSWORD = 'hosted pages in a real browser 7';
const ADA = 'ada@pages.example';
const BOB = 'bob@pages.example';
const LOCKED = 'lee@locked.pages.example';

/**
 * The hosted pages as a person meets them in Chromium (issue 14 part A): every page in English
 * and German (ui_locales) with an axe-core check (0 serious/critical), the login page's links,
 * the recovery-code sign-in by clicking its link, account switching with prompt=login, the
 * locked-account message and the provider's error pages. Screenshots land in
 * test-artifacts/screenshots/hosted-pages/.
 */
describe('hosted pages in a real browser', () => {
  let platform: Platform;
  let chromium: Chromium;
  let app: RelyingParty;
  let consentApp: RelyingParty;
  let lockedApp: RelyingParty;
  let totpSecret: string;
  let recoveryCodes: string[];
  const users: Record<string, string> = {};
  const contexts: BrowserContext[] = [];
  const cspViolations: string[] = [];
  const shot = screenshotter('hosted-pages');

  beforeAll(async () => {
    [platform, chromium] = await Promise.all([startPlatform('hosted_pages'), launchChromium()]);
    const tenantId = (await platform.createTenant('pages', { branding: { primaryColor: '#7a3db8' } })).id;
    const lockedTenant = (
      await platform.createTenant('pages-locked', {
        lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 120, maxLockSeconds: 120 },
      })
    ).id;
    users.ada = (await platform.createUser(tenantId, ADA, PASSWORD)).id;
    users.bob = (await platform.createUser(tenantId, BOB, PASSWORD)).id;
    await platform.createUser(lockedTenant, LOCKED, PASSWORD);

    // Ada set up an authenticator app earlier (through the account API).
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), ADA, PASSWORD, [
      'identity.users.read',
    ]);
    const auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    totpSecret = (await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp`, { method: 'POST', headers: auth })).body
      .secret;
    const confirmed = await fetchJson(`${platform.identityUrl}/api/v1/me/mfa/totp/confirm`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code: totp() }),
    });
    expect(confirmed.status).toBe(200);
    usedSteps.add(Math.floor(Date.now() / 30_000));
    recoveryCodes = confirmed.body.recoveryCodes;

    app = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    consentApp = await relyingParty(platform, { type: 'confidential', name: 'Acme Reports', tenantId });
    lockedApp = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId: lockedTenant });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await chromium?.close();
    await platform?.stop();
  });

  function totp(steps = 0): string {
    return speakeasy.totp({ secret: totpSecret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + steps * 30 });
  }

  // A TOTP code is accepted once (replay refused), within one time step either side: each sign-in takes
  // a time step not used yet, waiting for the next one when all three are taken.
  const usedSteps = new Set<number>();
  async function freshTotp(): Promise<string> {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = [now + 1, now, now - 1].find((s) => !usedSteps.has(s));
      if (step !== undefined) {
        usedSteps.add(step);
        return speakeasy.totp({ secret: totpSecret, encoding: 'base32', time: step * 30 });
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  /** A fresh browser profile whose "app" (the client's redirect URI) answers in place. */
  async function newPage(): Promise<Page> {
    const context = await chromium.newContext({ viewport: { width: 900, height: 800 } });
    contexts.push(context);
    await context.route(`${new URL(REDIRECT).origin}/**`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>App</title><h1>Back in the app</h1>',
      }),
    );
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
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
  const backInApp = (page: Page) =>
    page.waitForURL((url) => url.toString().startsWith(REDIRECT), { timeout: 15_000 }).then(() => page.url());

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
        `${platform.issuer}/auth?client_id=no-such-client&response_type=code&scope=openid&ui_locales=${lang.locale}`,
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
    await page.waitForURL((url) => url.toString().startsWith(REDIRECT) || url.pathname.startsWith('/interaction'), {
      timeout: 15_000,
    });
    const ended = `${page.url()} ${await page.textContent('body')}`;
    expectRule('issue 14: the second person is signed in (it ended on "interaction session not found")', ended).toMatch(
      /^https:\/\/app\.example\.test\/callback\?code=/,
    );
    expect((await redeem(app, page.url(), second)).claims()!.sub).toBe(users.ada);
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

  it('DESIGN §7: every page above worked under its strict CSP', () => {
    expectRule('no CSP violations on the hosted pages', cspViolations).toEqual([]);
  });
});
