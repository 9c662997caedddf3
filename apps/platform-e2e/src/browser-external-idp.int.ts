import type { Browser as Chromium, Page } from 'playwright-core';
import { launchChromium, screenshotter } from './support/chromium';
import { downstreamClientAt, registerPartnerSso, UPSTREAM_ON_LOOPBACK } from './support/federation';
import { type Platform, startPlatform } from './support/platform';
import { startWebApp } from './support/web-app';

const PASSWORD = 'upstream passwords stay upstream';

/**
 * "Sign in with Partner SSO" in a real browser: a second, independent platform is the upstream
 * OpenID provider. First a partner user is provisioned just in time; then a partner user whose
 * verified email matches an existing local account is linked to it. Screenshots of every page
 * land in test-artifacts/screenshots/browser-external-idp/.
 */
describe('a person signs in through an external IdP with a real browser', () => {
  let upstream: Platform;
  let platform: Platform;
  let chromium: Chromium;
  let tenantId: string;
  let existingLocal: { id: string };
  let webApp: Awaited<ReturnType<typeof startWebApp>>;
  const shot = screenshotter('browser-external-idp');

  beforeAll(async () => {
    [upstream, platform, chromium] = await Promise.all([
      startPlatform('browser_idp_up'),
      startPlatform('browser_idp_down', UPSTREAM_ON_LOOPBACK),
      launchChromium(),
    ]);
    const partner = await upstream.createTenant('partner');
    await upstream.createUser(partner.id, 'eve@partner.example', PASSWORD);
    await upstream.createUser(partner.id, 'lin@shared.example', PASSWORD);
    const upstreamClient = await downstreamClientAt(upstream, partner.id, platform, 'Acme (downstream)');

    tenantId = (await platform.createTenant('acme', { branding: { primaryColor: '#7a1f6f' } })).id;
    existingLocal = await platform.createUser(tenantId, 'lin@shared.example', 'the local password of lin 7');
    const idp = await registerPartnerSso(platform, tenantId, upstream, upstreamClient, {
      jitProvisioning: true,
      autoLinkVerifiedEmail: true,
    });
    expect(idp.status).toBe(201);
    webApp = await startWebApp(platform, tenantId, { trusted: true });
  }, 180_000); // two platforms (four services) and a browser on a possibly busy 2-core machine

  afterAll(async () => {
    await chromium?.close();
    await webApp?.stop();
    await Promise.all([platform?.stop(), upstream?.stop()]);
  });

  /** App → hosted login → "Sign in with Partner SSO" → upstream login → back in the app. */
  async function signInUpstream(page: Page, email: string, prefix: string) {
    await page.goto(`${webApp.url}/login`);
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/'), { timeout: 10_000 });
    await page.locator('a', { hasText: 'Sign in with Partner SSO' }).waitFor();
    await shot(page, `${prefix}-hosted-login`);
    await page.click('a:has-text("Sign in with Partner SSO")');
    await page.waitForURL((url) => url.origin === upstream.issuer && url.pathname.startsWith('/interaction/'), {
      timeout: 10_000,
    });
    await shot(page, `${prefix}-upstream-login`);
    await page.fill('#login', email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page
      .waitForURL((url) => url.toString().startsWith(`${webApp.url}/`) && url.pathname === '/', { timeout: 15_000 })
      .catch(async (error) => {
        await shot(page, `${prefix}-stuck`);
        throw new Error(
          `stuck at ${page.url()}: ${(await page.textContent('body'))?.slice(0, 300)} (${error.message})`,
        );
      });
    await shot(page, `${prefix}-app-signed-in`);
    return {
      claims: JSON.parse((await page.textContent('#claims'))!),
      userinfo: JSON.parse((await page.textContent('#userinfo'))!),
    };
  }

  it('provisions a partner user just in time', async () => {
    const context = await chromium.newContext();
    const { claims, userinfo } = await signInUpstream(await context.newPage(), 'eve@partner.example', 'jit');
    await context.close();
    expect(claims).toMatchObject({ iss: platform.issuer, tenant_id: tenantId, amr: ['fed'] });
    expect(userinfo).toMatchObject({ email: 'eve@partner.example', email_verified: true });
    const local = await platform.identityAdmin('GET', `/api/v1/users/${claims.sub}?tenantId=${tenantId}`);
    expect(local.body).toMatchObject({ email: 'eve@partner.example', tenantId });
  });

  it('links a partner user to the existing local account with the same verified email', async () => {
    const context = await chromium.newContext();
    const { claims } = await signInUpstream(await context.newPage(), 'lin@shared.example', 'link');
    await context.close();
    expect(claims.sub).toBe(existingLocal.id);
    const links = await platform.identityAdmin('GET', `/api/v1/users?tenantId=${tenantId}&email=lin`);
    expect(links.body.items).toHaveLength(1);
  });
});
