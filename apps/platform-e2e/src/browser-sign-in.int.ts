import type { BrowserContext, Page } from 'playwright-core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as speakeasy from 'speakeasy';
import { useChromium, screenshotter } from './support/chromium';
import { usePlatform } from './support/platform';
import { expectRule } from './support/rules';
import { startTotpEnrolment } from './support/user-tokens';
import { startWebApp } from './support/web-app';

const PASSWORD = 'a person at a real browser 42';
const EMAIL = 'ada@notes.example';

/**
 * Seed 002 pattern 1 as a person does it: a real Chromium (headless) on a relying-party web app
 * (Express + openid-client) → hosted login → password → TOTP → consent → back in the app with
 * the ID token's claims; then RP-initiated logout. A screenshot of every page lands in
 * test-artifacts/screenshots/browser-sign-in/.
 */
describe('a person signs in with a real browser', () => {
  const chromium = useChromium();
  const platform = usePlatform('browser_sign_in');
  let tenantId: string;
  let user: { id: string };
  let totpSecret: string;
  let webApp: Awaited<ReturnType<typeof startWebApp>>;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];
  const shot = screenshotter('browser-sign-in');

  beforeAll(async () => {
    tenantId = (await platform.createTenant('notes', { branding: { primaryColor: '#1f6f43' } })).id;
    user = await platform.createUser(tenantId, EMAIL, PASSWORD);

    // The user set up an authenticator app earlier (through the account API, with a hosted-login token).
    const enrolment = await startTotpEnrolment(platform, tenantId, EMAIL, PASSWORD);
    totpSecret = enrolment.secret;
    const confirmed = await enrolment.confirm(totp());
    expect(confirmed.status).toBe(200);

    webApp = await startWebApp(platform, tenantId);
    context = await chromium.newContext({ viewport: { width: 900, height: 760 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await webApp?.stop();
  });

  function totp(steps = 0): string {
    return speakeasy.totp({
      secret: totpSecret,
      encoding: 'base32',
      time: Math.floor(Date.now() / 1000) + steps * 30,
    });
  }

  const heading = () => page.locator('h1').first().textContent();
  const onHostedPage = (title: string) => page.locator('h1', { hasText: title }).waitFor({ timeout: 10_000 });

  it('goes app → login → password → TOTP → consent → back in the app with the ID token claims', async () => {
    await page.goto(webApp.url);
    expect(await page.locator('#sign-in').isVisible()).toBe(true);
    await shot(page, 'app-signed-out');

    await page.click('#sign-in');
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 10_000 });
    expect(await heading()).toBe('Sign in');
    expect(await page.textContent('body')).toContain('Acme Notes');
    await shot(page, 'hosted-login');

    await page.fill('#login', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await onHostedPage('Two-step verification');
    await shot(page, 'hosted-mfa');

    // The enrolment used the current time step; the next one is still inside the accepted window.
    await page.fill('#code', totp(1));
    await page.click('button[type=submit]');
    await onHostedPage('Allow access?');
    expect(await page.textContent('body')).toMatch(/See your name and profile/);
    await shot(page, 'hosted-consent');

    await page.click('button:has-text("Allow")');
    await page.waitForURL((url) => url.toString().startsWith(`${webApp.url}/`) && url.pathname === '/', {
      timeout: 10_000,
    });
    const claims = JSON.parse((await page.textContent('#claims'))!);
    expect(claims).toMatchObject({
      iss: platform.issuer,
      aud: webApp.clientId,
      sub: user.id,
      tenant_id: tenantId,
      amr: ['pwd', 'otp'],
    });
    expect(JSON.parse((await page.textContent('#userinfo'))!)).toMatchObject({
      sub: user.id,
      email: EMAIL,
      email_verified: true,
    });
    expect(await page.textContent('#greeting')).toContain(EMAIL);
    await shot(page, 'app-signed-in');
    expectRule('DESIGN §7: the hosted pages work under their strict CSP (no violations)', cspViolations).toEqual([]);
  });

  it('signs out through RP-initiated logout and needs a new sign-in afterwards', async () => {
    await page.click('#sign-out');
    await onHostedPage('Sign out');
    await shot(page, 'hosted-logout-confirmation');

    await page.click('button[name=logout][value=yes]');
    await page.waitForURL(`${webApp.url}/signed-out`, { timeout: 10_000 });
    expect(await page.textContent('#signed-out')).toContain('signed out');
    await shot(page, 'app-signed-out-again');

    // The authorization server's session is gone: signing in again asks for the password.
    await page.goto(`${webApp.url}/login`);
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 10_000 });
    expect(await heading()).toBe('Sign in');
    await shot(page, 'hosted-login-again');
    expectRule('DESIGN §7: the hosted pages work under their strict CSP (no violations)', cspViolations).toEqual([]);
  });

  it('DESIGN §7: a real browser refuses to show the login page inside another site’s frame', async () => {
    const loginUrl = page.url();
    // The attacker's page, served over http from loopback like any other site of the test (an
    // about:blank page would be stopped by Chromium's private-network rules before CSP matters).
    const attackerSite = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(`<h1>Win a prize!</h1><iframe id="victim" src="${loginUrl}" width="600" height="400"></iframe>`),
    );
    await new Promise<void>((resolve) => attackerSite.listen(0, '127.0.0.1', resolve));
    const attacker = await context.newPage();
    try {
      await attacker.goto(`http://127.0.0.1:${(attackerSite.address() as AddressInfo).port}/`);
      await attacker.waitForTimeout(1_000);
    } finally {
      await new Promise((resolve) => attackerSite.close(resolve));
    }
    const frame = attacker.frames().find((f) => f !== attacker.mainFrame());
    // Blocked by frame-ancestors / X-Frame-Options, the frame shows Chromium's error page instead.
    const shownInFrame = frame?.url() ?? '';
    await shot(attacker, 'framing-attempt');
    await attacker.close();
    const rule = "DESIGN §7: frame-ancestors 'none' keeps the hosted login page out of frames";
    expectRule(rule, shownInFrame.startsWith(platform.issuer)).toBe(false);
    expectRule(rule, shownInFrame).toMatch(/^chrome-error:/);
  });
});
