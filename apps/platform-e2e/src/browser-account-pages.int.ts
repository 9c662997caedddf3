import { fetchJson, waitForMail, testSmtpUrl } from '@platform/testing';
import type { BrowserContext, Page } from 'playwright-core';
import * as speakeasy from 'speakeasy';
import { checkAccessibility } from './support/accessibility';
import { useChromium, screenshotter } from './support/chromium';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { consoleApp, identityApiToken, startTotpEnrolment } from './support/user-tokens';

const PASSWORD = 'self service in a browser 9';
const TERMS = 'https://terms.example.test/tos';

/**
 * The self-service pages the emails link to (issue 14 part B), as a person uses them in Chromium,
 * with every email read from the real SMTP test server and its link clicked: sign-up →
 * verification mail → confirm → back into the sign-in that was in progress; forgot → reset mail
 * → new password (the second factor still asked, at the reset and at the next sign-in); a locked
 * account's mail → reset and unlock → sign-in; an email change confirmed from the new address.
 * Every page in a second language, axe-core on each (0 serious/critical), screenshots in
 * test-artifacts/screenshots/browser-account-pages/.
 */
describe('self-service account pages in a real browser', () => {
  const chromium = useChromium();
  const platform = usePlatform('account_pages', { identity: { SMTP_URL: testSmtpUrl() } });
  let context: BrowserContext;
  let page: Page;
  let app: RelyingParty;
  let tenantId: string;
  const cspViolations: string[] = [];
  const shot = screenshotter('browser-account-pages');

  beforeAll(async () => {
    tenantId = (
      await platform.createTenant('selfserve', {
        branding: { primaryColor: '#0b6e4f' },
        allowedEmailDomains: ['selfserve.example'],
        termsUrl: TERMS,
        lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 120, maxLockSeconds: 240 },
      })
    ).id;
    app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, scopes: ['openid', 'email'] });
  }, 180_000);

  // A browser of its own per journey: a session one journey signed in must not answer the next one's sign-in.
  beforeEach(async () => {
    context = await chromium.newContext({ viewport: { width: 900, height: 800 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    // The relying party's callback is not a real site: answer it in the browser.
    await context.route(`${REDIRECT}**`, (route) => route.fulfill({ status: 200, body: 'signed in' }));
  });

  afterEach(async () => {
    await context?.close();
  });

  const heading = () => page.locator('h1').first().textContent();
  const linkIn = (text: string, path: string) =>
    new RegExp(`${platform.issuer.replace(/[.:/]/g, '\\$&')}${path}\\?[^\\s"<>]+`).exec(text)?.[0];

  /** Starts a sign-in at the app and returns the interaction path the login page is on. */
  async function startSignIn(): Promise<string> {
    await page.goto((await authorizationRequest(app, 'openid email')).url);
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 10_000 });
    return new URL(page.url()).pathname;
  }

  async function signInOnLoginPage(email: string, password: string) {
    await page.fill('#login', email);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  }

  const backAtApp = () =>
    page.waitForURL((url) => url.toString().startsWith(REDIRECT) && url.searchParams.has('code'), {
      timeout: 15_000,
    });

  async function enrolTotp(email: string, password: string): Promise<() => string> {
    const { secret, confirm } = await startTotpEnrolment(platform, tenantId, email, password);
    let step = 0;
    // Each call gives the code of a later time step: a code is usable once.
    const next = () =>
      speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + 30 * step++ - 30 });
    const confirmed = await confirm(next());
    expect(confirmed.status).toBe(200);
    return next;
  }

  it('sign-up → verification email → confirm → back into the sign-in in progress', async () => {
    const email = 'newcomer@selfserve.example';
    const interaction = await startSignIn();
    // The login page's "Create account" (the tenant allows self-registration).
    await page.click('a:has-text("Create account")');
    await page.waitForURL((url) => url.pathname === '/account/sign-up', { timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('return')).toBe(interaction);
    expect(await heading()).toBe('Create your account');
    expect(await page.textContent('body')).toContain('selfserve.example');
    expect(await page.getAttribute('#password', 'minlength')).toBe('12');
    await checkAccessibility(page, 'sign-up');
    await shot(page, 'sign-up');

    // Errors: a domain outside the tenant's list, terms not accepted — an error summary linked to the fields.
    await page.fill('#email', 'someone@elsewhere.example');
    await page.fill('#password', PASSWORD);
    await page.evaluate(() => {
      // Bypass the browser's own checks, as a browser without them would: the server must check too.
      (
        globalThis as unknown as { document: { querySelector(s: string): { noValidate: boolean } } }
      ).document.querySelector('form').noValidate = true;
    });
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Create your account');
    const summary = page.locator('#form-error');
    expectRule(
      'issue 14: errors as a summary linked to the fields',
      await summary.locator('a[href="#email"]').count(),
    ).toBe(1);
    expect(await summary.locator('a[href="#terms"]').count()).toBe(1);
    expect(await page.getAttribute('#email', 'aria-invalid')).toBe('true');
    await checkAccessibility(page, 'sign-up with errors');
    await shot(page, 'sign-up-errors');

    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.check('#terms');
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Check your email');
    await checkAccessibility(page, 'sign-up done');
    await shot(page, 'sign-up-check-email');

    const mail = await waitForMail(email, /confirm your email/, 20_000);
    const link = linkIn(mail.text, '/account/verify-email')!;
    expectRule('issue 14: the emailed link opens the hosted page', link).toBeTruthy();
    await page.goto(link);
    expect(await heading()).toBe('Confirm your email address');
    await checkAccessibility(page, 'verify email');
    await shot(page, 'verify-email');
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Email address confirmed');
    await shot(page, 'verify-email-done');
    await waitForMail(email, /welcome/, 20_000);

    // The verification link's page has no interaction; the sign-in goes on from the login page it came from.
    await page.goto(`${platform.issuer}${interaction}`);
    await signInOnLoginPage(email, PASSWORD);
    await backAtApp();
  });

  it('the back-to-sign-in link returns into the OIDC flow in progress', async () => {
    const interaction = await startSignIn();
    await page.goto(`${platform.issuer}/account/forgot-password?tenant=selfserve&return=${interaction}`);
    await page.click(`a[href="${interaction}"]`);
    await page.waitForURL((url) => url.pathname === interaction, { timeout: 10_000 });
    expect(await page.locator('#login').count()).toBe(1);
  });

  it('forgot → reset email → new password with the second factor → sign-in still asks for it', async () => {
    const email = 'ada@selfserve.example';
    await platform.createUser(tenantId, email, PASSWORD);
    const nextCode = await enrolTotp(email, PASSWORD);

    // The login page's "Forgot password?".
    await startSignIn();
    await page.click('a:has-text("Forgot password?")');
    await page.waitForURL((url) => url.pathname === '/account/forgot-password', { timeout: 10_000 });
    expect(await heading()).toBe('Forgot your password?');
    await checkAccessibility(page, 'forgot password');
    await shot(page, 'forgot-password');
    await page.fill('#email', email);
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Check your email');
    await shot(page, 'forgot-password-sent');

    const mail = await waitForMail(email, /reset your password/, 20_000);
    await page.goto(linkIn(mail.text, '/account/reset-password')!);
    expect(await heading()).toBe('Choose a new password');
    expectRule('DESIGN §7: password reset never bypasses MFA', await page.locator('#code').count()).toBe(1);
    await checkAccessibility(page, 'reset password');
    await shot(page, 'reset-password');

    const newPassword = 'a fresh passphrase for ada';
    await page.fill('#newPassword', newPassword);
    await page.fill('#confirmPassword', newPassword);
    await page.fill('#code', '000000');
    await page.click('button[type=submit]');
    expect(await page.locator('#form-error a[href="#code"]').count()).toBe(1);
    await shot(page, 'reset-password-wrong-code');
    await page.fill('#newPassword', newPassword);
    await page.fill('#confirmPassword', newPassword);
    await page.fill('#code', nextCode());
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Password changed');
    expectRule('issue 14: the reset says every session was signed out', await page.textContent('main')).toMatch(
      /every session was signed out/,
    );
    await checkAccessibility(page, 'reset done');
    await shot(page, 'reset-password-done');

    await startSignIn();
    await signInOnLoginPage(email, newPassword);
    await page.locator('#code').waitFor({ timeout: 10_000 });
    expectRule('DESIGN §7: MFA still asked at the next sign-in', await page.locator('#code').count()).toBe(1);
    await page.fill('#code', nextCode());
    await page.click('button[type=submit]');
    await backAtApp();
  });

  it('a locked account: the mailed link resets the password, unlocks, and the sign-in works', async () => {
    const email = 'locked@selfserve.example';
    const user = await platform.createUser(tenantId, email, PASSWORD);
    await startSignIn();
    for (let i = 0; i < 3; i++) await signInOnLoginPage(email, `wrong guess ${i}`);
    const mail = await waitForMail(email, /locked/, 20_000);
    expect(mail.html).toContain('#0b6e4f');
    await page.goto(linkIn(mail.text, '/account/reset-password')!);
    expect(await heading()).toBe('Choose a new password');
    const newPassword = 'a renewed passphrase 2026';
    await page.fill('#newPassword', newPassword);
    await page.fill('#confirmPassword', newPassword);
    await page.click('button[type=submit]');
    await shot(page, 'locked-account-reset');
    expect({
      heading: await heading(),
      problem: await page
        .locator('#form-error')
        .textContent()
        .catch(() => null),
    }).toMatchObject({ heading: 'Password changed' });
    const admin = await platform.identityAdmin('GET', `/api/v1/users/${user.id}?tenantId=${tenantId}`);
    expectRule('issue 14: the locked-account link unlocks', admin.body.lockedUntil).toBeNull();
    await startSignIn();
    await signInOnLoginPage(email, newPassword);
    await backAtApp();
  });

  it('email change: both mails arrive, the change applies only when the new address confirms', async () => {
    const oldEmail = 'mover@selfserve.example';
    const newEmail = 'mover.new@selfserve.example';
    const user = await platform.createUser(tenantId, oldEmail, PASSWORD);
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), oldEmail, PASSWORD, [
      'identity.users.read',
    ]);
    const asked = await fetchJson(`${platform.identityUrl}/api/v1/me/email-change`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ newEmail, currentPassword: PASSWORD }),
    });
    expect(asked.status).toBe(202);
    const alert = await waitForMail(oldEmail, /being changed/, 20_000);
    expect(alert.text).toContain(newEmail);
    const confirmation = await waitForMail(newEmail, /confirm your new email/, 20_000);
    const before = await platform.identityAdmin('GET', `/api/v1/users/${user.id}?tenantId=${tenantId}`);
    expect(before.body.email).toBe(oldEmail);

    await page.goto(linkIn(confirmation.text, '/account/confirm-email-change')!);
    expect(await heading()).toBe('Confirm your new email address');
    await checkAccessibility(page, 'confirm email change');
    await shot(page, 'confirm-email-change');
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Email address changed');
    await shot(page, 'confirm-email-change-done');
    const after = await platform.identityAdmin('GET', `/api/v1/users/${user.id}?tenantId=${tenantId}`);
    expectRule('issue 14: applied after confirmation', after.body.email).toBe(newEmail);
  });

  it('a used or broken link says so and offers a way on', async () => {
    await page.goto(`${platform.issuer}/account/reset-password?token=${'x'.repeat(43)}&tenant=selfserve`);
    expect(await heading()).toBe('This link does not work');
    await checkAccessibility(page, 'reset link invalid');
    await shot(page, 'reset-password-invalid');
    await page.goto(`${platform.issuer}/account/verify-email?token=${'y'.repeat(43)}&tenant=selfserve`);
    await page.click('button[type=submit]');
    expect(await heading()).toBe('Get a new link');
    await checkAccessibility(page, 'verify email resend');
    await shot(page, 'verify-email-resend');
  });

  it.each([
    ['de', 'Konto erstellen', 'Passwort vergessen?'],
    ['fr', 'Créer votre compte', 'Mot de passe oublié ?'],
  ])('every page in a second language (%s)', async (lang, signUpTitle, forgotTitle) => {
    await page.goto(`${platform.issuer}/account/sign-up?tenant=selfserve&lang=${lang}`);
    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await heading()).toBe(signUpTitle);
    await checkAccessibility(page, `sign-up (${lang})`);
    await shot(page, `sign-up-${lang}`);
    // The choice sticks (cookie) for the next page.
    await page.goto(`${platform.issuer}/account/forgot-password?tenant=selfserve`);
    expect(await heading()).toBe(forgotTitle);
    await checkAccessibility(page, `forgot password (${lang})`);
    await shot(page, `forgot-password-${lang}`);
    for (const path of ['reset-password', 'confirm-email-change']) {
      await page.goto(`${platform.issuer}/account/${path}?token=${'z'.repeat(43)}&tenant=selfserve`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      await checkAccessibility(page, `${path} (${lang})`);
      await shot(page, `${path}-${lang}`);
    }
    await page.goto(`${platform.issuer}/account/sign-up?tenant=selfserve&lang=en`);
    expectRule('DESIGN §7: the hosted pages work under their strict CSP (no violations)', cspViolations).toEqual([]);
  });

  it('a page posted without this browser’s CSRF token is refused', async () => {
    const res = await fetch(`${platform.issuer}/account/forgot-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ tenant: 'selfserve', email: 'ada@selfserve.example', csrf: 'forged' }),
    });
    expectRule('DESIGN §7: CSRF-protected forms', res.status).toBe(400);
    expect(await res.text()).toContain('This form expired');
  });
});
