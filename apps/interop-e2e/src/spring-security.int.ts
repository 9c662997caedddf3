import { freePort } from '@platform/testing';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { tampered } from './support/jwt';
import { type Platform, startPlatform } from './support/platform';
import {
  answers,
  INTEROP_CACHE,
  launchChromium,
  screenshotter,
  signInOnHostedPages,
  startThirdParty,
  type ThirdParty,
} from './support/processes';

const EMAIL = 'sam@spring.example';
const PASSWORD = 'spring into the platform 7';
const ORDERS_API = 'https://orders.spring.example';
const LEDGER_API = 'https://ledger.spring.example';

/**
 * Spring Security on Spring Boot 3.5 (tools/interop/spring, built by tools/interop/install.sh), each
 * profile configured only with Spring Boot properties. Asserted: the HTTP answers of the Spring apps.
 */
// A JVM starting next to the platform on a busy 2-core machine takes a while.
jest.setTimeout(120_000);

describe('Spring Security', () => {
  let platform: Platform;
  const apps: ThirdParty[] = [];
  const shot = screenshotter('spring-security');

  /** The jar with one Spring profile (its settings from the environment) on `port`, once it serves `probe`. */
  async function startSpring(profile: string, env: Record<string, string>, port: number, probe = '/') {
    const app = await startThirdParty(
      `spring-${profile}`,
      'java',
      ['-XX:TieredStopAtLevel=1', '-jar', join(INTEROP_CACHE, 'interop-spring.jar')],
      {
        env: { SPRING_PROFILES_ACTIVE: profile, SERVER_PORT: String(port), ISSUER: platform.issuer, ...env },
        ready: answers(`http://127.0.0.1:${port}${probe}`),
        timeoutMs: 90_000,
      },
    );
    apps.push(app);
    return { url: `http://127.0.0.1:${port}`, app };
  }
  type Spring = Awaited<ReturnType<typeof startSpring>>;

  const whoami = (spring: Spring, bearer: string) =>
    fetch(`${spring.url}/api/whoami`, { headers: { authorization: `Bearer ${bearer}` } });

  /** The resource server's whoami answer to `token`, which it must accept (its log shows in the failure if not). */
  async function acceptedBy(spring: Spring, token: string) {
    const accepted = await whoami(spring, token);
    expect({ status: accepted.status, log: accepted.status === 200 ? '' : spring.app.output().slice(-2000) }).toEqual({
      status: 200,
      log: '',
    });
    return accepted.json();
  }

  beforeAll(async () => {
    platform = await startPlatform('interop_spring');
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await platform?.stop();
  });

  it('a JWT resource server with only issuer-uri accepts our RFC 9068 access token and refuses a tampered one', async () => {
    // With issuer-uri only, Spring checks the signature (keys from discovery's jwks_uri, algorithms
    // from the JWKS), typ (at+jwt through the one bean), iss = issuer-uri and exp/nbf (60 s skew); it
    // checks aud only when `audiences` is set. Principal: sub; authorities: SCOPE_ + each scope.
    await platform.createApi({ identifier: ORDERS_API, name: 'Orders', scopes: ['orders.read'] });
    const caller = await platform.createClient({ name: 'Orders job', type: 'service', scopes: ['orders.read'] });
    const token = await platform.clientCredentials(caller, 'orders.read', ORDERS_API);
    const spring = await startSpring('jwt', {}, await freePort());

    expect(await acceptedBy(spring, token)).toMatchObject({
      name: caller.clientId,
      type: 'JwtAuthenticationToken',
      authorities: ['SCOPE_orders.read'],
    });

    const refused = await whoami(spring, tampered(token, { scope: 'orders.read orders.admin' }));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('an opaque-token resource server introspects the tokens of other clients with credentials of its own', async () => {
    // The API's own client (issue 13 cause 8): no grants of its own, designated to introspect the API's tokens.
    const ledger = await platform.createClient({ name: 'Ledger API', type: 'service', scopes: [] });
    await platform.createApi({
      identifier: LEDGER_API,
      name: 'Ledger',
      scopes: ['ledger.read'],
      tokenFormat: 'opaque',
      introspectionClientId: ledger.clientId,
    });
    const caller = await platform.createClient({ name: 'Ledger job', type: 'service', scopes: ['ledger.read'] });
    const token = await platform.clientCredentials(caller, 'ledger.read', LEDGER_API);
    expect(token.split('.')).toHaveLength(1); // opaque
    const spring = await startSpring(
      'opaque',
      { CLIENT_ID: ledger.clientId, CLIENT_SECRET: ledger.clientSecret },
      await freePort(),
    );
    // Spring names the principal after the introspection answer's optional `sub`, which the
    // platform leaves out for client-credentials tokens (so `name` is null here).
    expect(await acceptedBy(spring, token)).toMatchObject({
      type: 'BearerTokenAuthentication',
      authorities: ['SCOPE_ledger.read'],
    });
    const refused = await whoami(spring, `${token}x`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('OAuth2 Login with Spring defaults signs a person in through the hosted pages', async () => {
    const { tenantId } = await platform.createTenantUser('spring', EMAIL, PASSWORD, 'Sam Spring');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const client = await platform.createClient({
      name: 'Spring portal',
      type: 'confidential',
      trusted: true,
      tenantId,
      // Spring's default redirect URI: {baseUrl}/login/oauth2/code/{registrationId}
      redirectUris: [`${base}/login/oauth2/code/platform`],
      scopes: ['openid', 'profile', 'email'],
    });
    const { app } = await startSpring(
      'login',
      { CLIENT_ID: client.clientId, CLIENT_SECRET: client.clientSecret },
      port,
      '/login',
    );
    const chromium: Browser = await launchChromium();
    try {
      const page = await chromium.newPage();
      await page.goto(`${base}/`);
      await shot(page, 'hosted-login');
      await signInOnHostedPages(page, platform.issuer, EMAIL, PASSWORD);
      await page.waitForURL((url) => url.toString().startsWith(`${base}/`), { timeout: 20_000 });
      await shot(page, 'spring-signed-in');
      const body = (await page.textContent('body'))!;
      expect({ body, log: body.includes(EMAIL) ? '' : app.output().slice(-3000) }).toMatchObject({ log: '' });
      expect(JSON.parse(body)).toMatchObject({ email: EMAIL, fullName: 'Sam Spring' });
      // Spring's own log: the code flow with state and nonce and without PKCE (its default for confidential clients).
      const authorize = app.output().match(/Redirecting to (\S+\/authorize\?\S+)/)?.[1];
      expect(authorize).toMatch(/response_type=code&.*nonce=/);
      expect(authorize).not.toMatch(/code_challenge/);
    } finally {
      await chromium.close();
    }
  });
});
