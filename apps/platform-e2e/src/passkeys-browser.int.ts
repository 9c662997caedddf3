import { Browser, fetchJson } from '@platform/testing';
import type { BrowserContext, CDPSession, Page, Response } from 'playwright-core';
import { checkAccessibilityAloud as checkAccessibility } from './support/accessibility';
import { appBrowserContext } from './support/app-browser';
import { useChromium, screenshotter, waitsForState } from './support/chromium';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { eventually, expectRule } from './support/rules';
import { signIn } from './support/sign-in';
import { addPlatformAuthenticator, authorizationResponse, type VirtualCredential } from './support/webauthn';

const TENANT = 'pk-ui';
const EMAIL = 'ada@pk-ui.example';
const PASSWORD = 'a passphrase nobody else has';

/**
 * Issue 16's must-show, as a person uses it: Chromium with a virtual WebAuthn authenticator (Chrome
 * DevTools Protocol), the account console and the hosted login of the built services. The issuer is
 * http://localhost:<port> (WebAuthn refuses IP-address origins), which is also the backend's
 * WebAuthn origin by default. Screenshots: test-artifacts/screenshots/passkeys-browser/.
 */
describe('passkeys in a real browser (virtual authenticator)', () => {
  const chromium = useChromium();
  const platform = usePlatform('passkeys_ui', {}, { issuerHost: 'localhost' });
  let tenantId: string;
  let userId: string;
  let app: RelyingParty;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  /** The passkey as the authenticator that used it last holds it (private key and sign counter). */
  let latest: VirtualCredential;
  const shot = screenshotter('passkeys-browser');
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    tenantId = (await platform.createTenant(TENANT)).id;
    userId = (await platform.createUser(tenantId, EMAIL, PASSWORD)).id;
    app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, name: 'Passkey app' });
    ({ context, page } = await browserContext());
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    authenticatorId = await addPlatformAuthenticator(cdp);
  }, 180_000);

  /** appBrowserContext(), its page watched for CSP reports and errors. */
  async function browserContext(): Promise<{ context: BrowserContext; page: Page }> {
    const { context: ctx, page: p } = await appBrowserContext(chromium, { width: 1280, height: 800 });
    p.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    p.on('pageerror', (error) => pageErrors.push(error.message));
    return { context: ctx, page: p };
  }

  const credentialsOf = async (session: CDPSession, id: string): Promise<VirtualCredential[]> =>
    (await session.send('WebAuthn.getCredentials', { authenticatorId: id })).credentials;

  const until = waitsForState(shot);

  /** The hosted login page's HTML response (the document, not its assets), while `action` leads there. */
  const loginDocument = (p: Page, action: () => Promise<unknown>) =>
    Promise.all([
      p.waitForResponse(
        (r) => r.request().method() === 'GET' && /^\/interaction\/[^/]+$/.test(new URL(r.url()).pathname),
      ),
      action(),
    ]).then(([response]) => response);

  /** The hosted page's CSP allows one script: the same-origin hashed passkey file, by the page's nonce. */
  async function expectStrictScriptPolicy(p: Page, response: Response) {
    const csp = (await response.allHeaders())['content-security-policy'] ?? '';
    const nonce = csp.match(/script-src 'nonce-([A-Za-z0-9+/=]+)';/)?.[1];
    const rule = "issue 16: the hosted pages' CSP stays strict: script-src is the page nonce alone";
    expectRule(rule, csp.match(/script-src ([^;]*)/)?.[1]).toBe(`'nonce-${nonce}'`);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expectRule(
      rule,
      scripts.map((s) => [s[1], s[2]]),
    ).toEqual([
      // (the nonce is base64: its "+" escaped, or the pattern fails every third page or so)
      [
        expect.stringMatching(
          new RegExp(`^ src="/assets/passkeys-[0-9a-f]{16}\\.js" nonce="${nonce?.replace(/[+/]/g, '\\$&')}" defer$`),
        ),
        '',
      ],
    ]);
    const src = scripts[0]![1]!.match(/src="([^"]+)"/)![1]!;
    const asset = await fetch(new URL(src, platform.issuer));
    expect([asset.status, asset.headers.get('content-type'), asset.headers.get('x-content-type-options')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'nosniff',
    ]);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  }

  /** POSTs a page made to the hosted passkey endpoints, with their answers' statuses. */
  function passkeyPosts(p: Page) {
    const posts: { path: string; status: number }[] = [];
    p.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.request().method() === 'POST' && /^\/interaction\/[^/]+\/(passkey|login|mfa)$/.test(path)) {
        posts.push({ path: path.split('/').pop()!, status: r.status() });
      }
    });
    return posts;
  }

  /**
   * A passkey sign-in on the login page: Chromium answers the page's conditional request (the
   * username field's autofill) from the virtual authenticator's discoverable credential at once;
   * should it not, the person presses "Sign in with a passkey". Says which it was.
   */
  async function passkeyOnLoginPage(p: Page, posts: { path: string }[]): Promise<'conditional UI' | 'button'> {
    if (await eventually(async () => posts.some((x) => x.path === 'passkey'), 10_000, 200)) return 'conditional UI';
    await p.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await until(p, 'passkey-posted', async () => posts.some((x) => x.path === 'passkey'));
    return 'button';
  }

  const passkeyCards = (p: Page) => p.getByTestId('passkey');

  it('enrols a passkey in the account console: named, renamed, and a second one on the same device refused', async () => {
    await page.goto(`${platform.issuer}/account/?tenant=${TENANT}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login').waitFor({ timeout: 60_000 });
    await page.fill('#login', EMAIL);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });

    await page.getByRole('navigation').getByRole('link', { name: 'Passkeys' }).click();
    await page.getByRole('heading', { level: 2, name: 'Passkeys' }).waitFor();
    await page.getByText('No passkeys yet.').waitFor();
    await shot(page, 'account-passkeys-empty');
    await checkAccessibility(page, 'account passkeys (none)');

    await page.getByLabel('Name of the new passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.locator('[data-testid=passkey][data-name="Laptop"]').waitFor();
    await page.getByText('Passkey added').waitFor();
    const [credential] = await credentialsOf(cdp, authenticatorId);
    expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
    // (innerText as shown: the badge is in capitals)
    expect(await passkeyCards(page).first().innerText()).toMatch(
      /Laptop[\s\S]*On this device only[\s\S]*Not used yet/i,
    );
    await shot(page, 'account-passkey-added');
    await checkAccessibility(page, 'account passkeys (one)');

    // The browser refuses a second passkey of the same account on this authenticator (excludeCredentials).
    await page.getByLabel('Name of the new passkey').fill('Laptop again');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('This device already holds a passkey for your account.').waitFor();
    expect(await passkeyCards(page).count()).toBe(1);
    await shot(page, 'account-passkey-duplicate-refused');
    await checkAccessibility(page, 'account passkeys, second one on this device refused');

    // The notifications above close by themselves (a modal's overlay would dim them, and axe would count that).
    await until(
      page,
      'notifications-closed',
      async () => (await page.locator('.mantine-Notification-root').count()) === 0,
    );
    await passkeyCards(page).getByRole('button', { name: 'Rename' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename passkey' });
    await dialog.getByLabel('Name').fill('Work laptop');
    await shot(page, 'account-passkey-rename');
    await checkAccessibility(page, 'account passkey rename dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=passkey][data-name="Work laptop"]').waitFor();
  });

  it('signs out, then signs in passwordless with the passkey on the hosted login page (amr hwk + mfa)', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
    await page.locator('button[name=logout][value=yes]').click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });

    const posts = passkeyPosts(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const how = await passkeyOnLoginPage(page, posts);
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
    console.log(`passwordless sign-in via ${how}`);
    expectRule(
      'issue 16: passwordless, no password typed',
      posts.map((x) => x.path),
    ).toEqual(['passkey']);

    await page.getByRole('navigation').getByRole('link', { name: 'Sessions and devices' }).click();
    const current = page.locator('[data-testid=session][data-current=true]');
    await current.waitFor();
    expectRule('issue 16: a passkey sign-in says so (amr hwk, mfa)', await current.innerText()).toMatch(
      /Passkey \(this device\), Two-factor/,
    );
    await page.getByRole('navigation').getByRole('link', { name: 'Passkeys' }).click();
    await page.locator('[data-testid=passkey][data-name="Work laptop"]').waitFor();
    await until(page, 'last-used', async () => !/Not used yet/i.test(await passkeyCards(page).innerText()));
    await shot(page, 'account-passkey-used');
    latest = (await credentialsOf(cdp, authenticatorId))[0]!;
  });

  it('is the second factor after the password when the tenant requires two steps', async () => {
    const required = await platform.identityAdmin('PUT', `/api/v1/tenants/${tenantId}/settings`, {
      mfaPolicy: 'required',
    });
    expect(required.status).toBe(200);
    try {
      // Another browser: no session, and its authenticator gets the passkey only at the second step.
      const { page: p } = await browserContext();
      const posts = passkeyPosts(p);
      // The app asks for the multi-factor level, so the ID token says which level the sign-in reached.
      const request = await authorizationRequest(app, 'openid', { acr_values: 'urn:identity-platform:acr:mfa' });
      const login = await loginDocument(p, () => p.goto(request.url));
      await expectStrictScriptPolicy(p, login);
      expect(await p.getAttribute('#login', 'autocomplete')).toBe('username webauthn');
      await p.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
      await shot(p, 'hosted-login-with-passkey');
      await checkAccessibility(p, 'hosted login with passkey');

      await p.fill('#login', EMAIL);
      await p.fill('#password', PASSWORD);
      await p.click('button[type=submit]');
      const useIt = p.getByRole('button', { name: 'Use your passkey' });
      await useIt.waitFor();
      // No authenticator app: the passkey is the only way on, and the page has no code field.
      expect(await p.locator('#code').count()).toBe(0);
      await shot(p, 'hosted-mfa-passkey');
      await checkAccessibility(p, 'hosted MFA with passkey');

      // The same passkey, synced to this browser with its counter (a copy that is not behind).
      const session = await p.context().newCDPSession(p);
      await session.send('WebAuthn.enable');
      const second = await addPlatformAuthenticator(session, latest);
      const callback = await authorizationResponse(p, request.state, () => useIt.click());
      const tokens = await redeem(app, callback, request);
      expectRule('issue 16: password + passkey: amr pwd, hwk, mfa', tokens.claims()!.amr).toEqual([
        'pwd',
        'hwk',
        'mfa',
      ]);
      expect(tokens.claims()!.acr).toBe('urn:identity-platform:acr:mfa');
      // The password answered with the MFA page; the passkey's answer redirected back to the app.
      expect(posts.map((x) => `${x.path} ${x.status >= 300 && x.status < 400 ? 'redirect' : x.status}`)).toEqual([
        'login 200',
        'mfa redirect',
      ]);
      latest = (await credentialsOf(session, second))[0]!;
    } finally {
      await platform.identityAdmin('PUT', `/api/v1/tenants/${tenantId}/settings`, { mfaPolicy: 'optional' });
    }
  });

  it('refuses a cloned credential with a lower sign counter: the page says so, the backend audits it', async () => {
    // The passwordless sign-in and the second factor moved the stored counter to at least 2.
    expect(latest.signCount).toBeGreaterThanOrEqual(2);
    const { page: p } = await browserContext();
    const session = await p.context().newCDPSession(p);
    await session.send('WebAuthn.enable');
    // The same private key on an authenticator that counts from 0: the copy an attacker made.
    const clone = await addPlatformAuthenticator(session, { ...latest, signCount: 0 });
    const posts = passkeyPosts(p);
    await p.goto((await authorizationRequest(app, 'openid', {})).url);
    const how = await passkeyOnLoginPage(p, posts);
    const alert = p.locator('#form-error');
    await alert.waitFor();
    const refusal = /^This passkey was refused: it may have been copied to another device/;
    expectRule('issue 16: a cloned passkey is refused, and the person is told why', await alert.innerText()).toMatch(
      refusal,
    );
    expect(posts).toEqual([{ path: 'passkey', status: 401 }]);
    await shot(p, 'hosted-login-cloned-passkey-refused');
    await checkAccessibility(p, 'hosted login, cloned passkey refused');

    // After a refusal the page does not offer the passkey by itself again; pressing the button is refused alike.
    if (how === 'conditional UI') {
      await p.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await until(p, 'second-refusal', async () => posts.length === 2);
      expect(posts[1]).toEqual({ path: 'passkey', status: 401 });
      await expect(p.locator('#form-error').innerText()).resolves.toMatch(refusal);
    }
    expect((await credentialsOf(session, clone))[0]!.signCount).toBeLessThanOrEqual(latest.signCount);

    const auditor = await platform.adminToken('platform.admin identity.audit.read', IDENTITY_API);
    const audited = async () => {
      const res = await fetchJson(`${platform.identityUrl}/api/v1/users/${userId}/audit-events?tenantId=${tenantId}`, {
        headers: { authorization: `Bearer ${auditor}` },
      });
      return ((res.body.items ?? []) as { action: string; details: Record<string, number> }[]).filter(
        (e) => e.action === 'identity.user.passkey_counter_regressed.v1',
      );
    };
    expect(await eventually(async () => (await audited()).length > 0, 20_000, 250)).toBe(true);
    const [entry] = await audited();
    expectRule('issue 16: the clone is audited with both counters', entry!.details.presentedCount).toBeLessThanOrEqual(
      entry!.details.storedCount!,
    );
  });

  it('without JavaScript the login page is the password form it always was (the passkey button hidden)', async () => {
    const browser = new Browser();
    const request = await authorizationRequest(app, 'openid', {});
    const login = await browser.follow(request.url);
    expect(login.body).toMatch(/<button type="button" id="passkey-button" class="secondary" hidden>/);
    const back = await signIn(new Browser(), request.url, REDIRECT, { login: EMAIL, password: PASSWORD });
    expect(back.steps).toEqual(['login']);
    expect((await redeem(app, back.location!, request)).claims()!.amr).toEqual(['pwd']);
  });

  it('removes the passkey in the account console: it no longer signs in', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Passkeys' }).click();
    await passkeyCards(page).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No passkeys yet.').waitFor();

    const { page: p } = await browserContext();
    const session = await p.context().newCDPSession(p);
    await session.send('WebAuthn.enable');
    await addPlatformAuthenticator(session, latest);
    const posts = passkeyPosts(p);
    await p.goto((await authorizationRequest(app, 'openid', {})).url);
    await passkeyOnLoginPage(p, posts);
    await p.locator('#form-error').waitFor();
    expect(await p.locator('#form-error').innerText()).toBe(
      'This passkey was not accepted. Try again, or sign in with your password.',
    );
    expect(posts[0]).toEqual({ path: 'passkey', status: 401 });

    expectRule('DESIGN §7: the pages work under their strict CSP (no violations)', cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
