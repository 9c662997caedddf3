import { freePort } from '@platform/testing';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { tampered } from './support/jwt';
import { type Platform, startPlatform } from './support/platform';
import {
  INTEROP_CACHE,
  launchChromium,
  screenshotter,
  signInOnHostedPages,
  startEchoServer,
  startThirdParty,
  type ThirdParty,
} from './support/processes';

const EMAIL = 'mia@proxy.example';
const PASSWORD = 'behind the proxy 4 ever';
const API = 'https://upstream.proxy.example';

/**
 * oauth2-proxy (pinned, built from the Go module proxy by tools/interop/install.sh) with the OIDC
 * provider and its defaults (scope "openid email profile", no --prompt, no PKCE flags) in front
 * of an upstream that echoes the headers it gets. What is asserted is what oauth2-proxy lets
 * through (the upstream's answers) and what it logs.
 */
describe('oauth2-proxy in front of an upstream', () => {
  let platform: Platform;
  let upstream: Awaited<ReturnType<typeof startEchoServer>>;
  let proxy: ThirdParty;
  let proxyUrl: string;
  let client: { clientId: string; clientSecret: string };
  let chromium: Browser;
  let context: BrowserContext;
  let page: Page;
  const shot = screenshotter('oauth2-proxy');

  beforeAll(async () => {
    [platform, chromium, upstream] = await Promise.all([
      startPlatform('interop_oauth2_proxy'),
      launchChromium(),
      startEchoServer(),
    ]);
    const { tenantId } = await platform.createTenantUser('proxy', EMAIL, PASSWORD, 'Mia Proxy');
    const port = await freePort();
    proxyUrl = `http://127.0.0.1:${port}`;
    // A first-party web client of the tenant: refresh tokens without prompt=consent (issue 13, cause 9).
    client = await platform.createClient({
      name: 'Proxy',
      type: 'confidential',
      trusted: true,
      tenantId,
      redirectUris: [`${proxyUrl}/oauth2/callback`],
      scopes: ['openid', 'profile', 'email'],
    });
    await platform.createApi({ identifier: API, name: 'Upstream', scopes: ['upstream.read'] });
    proxy = await startThirdParty(
      'oauth2-proxy',
      join(INTEROP_CACHE, 'oauth2-proxy'),
      [
        '--provider=oidc',
        `--oidc-issuer-url=${platform.issuer}`,
        `--client-id=${client.clientId}`,
        `--client-secret=${client.clientSecret}`,
        `--cookie-secret=${randomBytes(32).toString('base64url').slice(0, 32)}`,
        '--email-domain=*',
        `--upstream=${upstream.url}`,
        `--http-address=127.0.0.1:${port}`,
        `--redirect-url=${proxyUrl}/oauth2/callback`,
        '--cookie-secure=false',
        // Refresh the session (with the refresh token) when its cookie is older than this.
        '--cookie-refresh=3s',
        // Machine callers: a JWT access token of ours for the upstream's API passes without a session.
        '--skip-jwt-bearer-tokens',
        `--extra-jwt-issuers=${platform.issuer}=${API}`,
      ],
      { ready: async () => (await fetch(`${proxyUrl}/ping`)).ok },
    );
    context = await chromium.newContext({ viewport: { width: 900, height: 700 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await proxy?.stop();
    await upstream?.stop();
    await platform?.stop();
  });

  const upstreamAnswer = async () => JSON.parse((await page.textContent('body'))!);

  it('signs a person in through the hosted pages; the upstream sees their email', async () => {
    await page.goto(`${proxyUrl}/`);
    await shot(page, 'proxy-sign-in');
    await page.click('button[type=submit]'); // oauth2-proxy's "Sign in with OpenID Connect"
    await shot(page, 'hosted-login');
    await signInOnHostedPages(page, platform.issuer, EMAIL, PASSWORD);
    await page.waitForURL((url) => url.toString() === `${proxyUrl}/`, { timeout: 20_000 });
    await shot(page, 'upstream');
    const seen = await upstreamAnswer();
    expect(seen.headers['x-forwarded-email']).toBe(EMAIL);
    expect(seen.headers['x-forwarded-user']).toBeTruthy();
  });

  it('refreshes the session with 3 concurrent requests and keeps the person signed in', async () => {
    const get = () => context.request.get(`${proxyUrl}/`, { maxRedirects: 0 });
    for (let round = 1; round <= 2; round++) {
      // Let the session cookie age past --cookie-refresh, then hit the proxy in parallel.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const answers = await Promise.all([get(), get(), get()]);
      const seen = await Promise.all(answers.map(async (a) => ({ status: a.status(), body: await a.text() })));
      for (const answer of seen) {
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body).headers['x-forwarded-email']).toBe(EMAIL);
      }
    }
    // Still signed in after both refresh rounds, and oauth2-proxy refreshed without error.
    const after = await get();
    expect(after.status()).toBe(200);
    // 3 refreshes a round (oauth2-proxy's cookie sessions take no lock), each with the same refresh token.
    expect(proxy.output().match(/Refreshing session/g)?.length).toBeGreaterThanOrEqual(6);
    expect(proxy.output()).not.toMatch(/Unable to refresh session|error redeeming refresh token/i);
  });

  it('lets a client-credentials JWT through with --skip-jwt-bearer-tokens, and not a tampered one', async () => {
    const machine = await platform.createClient({ name: 'Batch job', type: 'service', scopes: ['upstream.read'] });
    const token = await platform.clientCredentials(machine, 'upstream.read', API);
    const call = (bearer: string) =>
      fetch(`${proxyUrl}/jobs`, { headers: { authorization: `Bearer ${bearer}` }, redirect: 'manual' });
    const passed = await call(token);
    expect(passed.status).toBe(200);
    expect(((await passed.json()) as { path: string }).path).toBe('/jobs');
    const refused = await call(tampered(token, { scope: 'upstream.admin' }));
    expect(refused.status).toBe(403);
  });
});
