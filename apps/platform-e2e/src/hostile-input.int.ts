import { Browser, fetchJson } from '@platform/testing';
import { openLogin } from './support/hosted-login';
import { usePlatform } from './support/platform';
import { authorizationRequest, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';

const PASSWORD = 'input is hostile until proven not';
const LOGIN_IP_MAX_FAILURES = 12;
const MEGABYTE = 1024 * 1024;
const TEN_K = 'A'.repeat(10_000);

/**
 * Hostile-input suite, part 4: malformed and oversized input against both services — 1 MB
 * bodies, 10k-character parameters, SQL and LIKE metacharacters in searches and sign-ins,
 * Unicode look-alike email addresses — and password spraying from one IP. DESIGN §7: bad input
 * always gets a clear 4xx with a code, never a 500, never a partial write.
 */
describe('hostile input: oversized, malformed and look-alike input', () => {
  const platform = usePlatform('hostile_input', {
    identity: { LOGIN_IP_MAX_FAILURES: String(LOGIN_IP_MAX_FAILURES), LOGIN_IP_WINDOW_SECONDS: '300' },
  });
  let tenantId: string;
  let app: RelyingParty;

  beforeAll(async () => {
    tenantId = (await platform.createTenant('input', { selfRegistration: true })).id;
    app = await relyingParty(platform, { type: 'confidential', trusted: true, tenantId });
    for (const email of ['alice@input.example', 'bob@input.example', 'carol_x@input.example']) {
      await platform.createUser(tenantId, email, PASSWORD);
    }
  });

  const users = (query: string) => platform.identityAdmin('GET', `/api/v1/users?tenantId=${tenantId}&${query}`);
  const emailsOf = (res: { body: { items?: { email: string }[] } }) => (res.body.items ?? []).map((u) => u.email);
  const raw = (url: string, init: RequestInit) =>
    fetch(url, init).then(async (r) => ({ status: r.status, text: await r.text() }));

  describe('1 MB bodies and 10k-character parameters', () => {
    it('DESIGN §7: a 1 MB JSON body is refused with 413 and a code by the identity backend (public and admin routes)', async () => {
      const huge = JSON.stringify({ tenant: 'input', email: 'big@input.example', password: 'x'.repeat(MEGABYTE) });
      const registration = await fetchJson(`${platform.identityUrl}/api/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: huge,
      });
      expectRule('DESIGN §7: 1 MB body refused with 413 payload_too_large (registration)', registration.status).toBe(
        413,
      );
      expectRule('DESIGN §7: 1 MB body refused with a code', registration.body.error.code).toBe('payload_too_large');
      const token = await platform.adminToken('identity.users.write', 'urn:identity-platform:identity-api');
      const admin = await raw(`${platform.identityUrl}/api/v1/users?tenantId=${tenantId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'big@input.example', attributes: { blob: 'x'.repeat(MEGABYTE) } }),
      });
      expectRule('DESIGN §7: 1 MB body refused with 413 (admin API)', admin.status).toBe(413);
      expectRule('DESIGN §7: no partial write after a refused body', emailsOf(await users('email=big'))).toEqual([]);
    });

    it('DESIGN §7: a 1 MB form body is refused with a 4xx by the token endpoint and the hosted login', async () => {
      const token = await raw(`${platform.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', padding: 'x'.repeat(MEGABYTE) }),
      });
      // oidc-provider refuses it while parsing (400 invalid_request), before anything is read.
      const tokenRule = `DESIGN §7: 1 MB body at /token gets a 4xx with a code (${token.status} ${token.text.slice(0, 200)})`;
      expectRule(tokenRule, [400, 413]).toContain(token.status);
      expectRule(tokenRule, JSON.parse(token.text).error).toMatch(/invalid_request|payload_too_large/);
      const page = await openLogin(app);
      const login = await page.browser.post(page.action, {
        login: 'alice@input.example',
        password: 'x'.repeat(MEGABYTE),
      });
      expectRule(`DESIGN §7: 1 MB body on the login form gets 413 (${login.status})`, login.status).toBe(413);
      const management = await raw(`${platform.issuer}/api/v1/clients`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await platform.adminToken('authz.clients.write', 'urn:identity-platform:authorization-api')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'x'.repeat(MEGABYTE), type: 'service' }),
      });
      expectRule('DESIGN §7: 1 MB body refused by the management API', management.status).toBe(413);
    });

    it('DESIGN §7: 10k-character fields get a 400 with a code from the identity backend, never a 500', async () => {
      const registration = await fetchJson(`${platform.identityUrl}/api/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant: 'input', email: `${TEN_K}@input.example`, password: PASSWORD }),
      });
      expectRule('DESIGN §7: a 10k-character email is a validation error', registration.status).toBe(400);
      expectRule('DESIGN §7: a 10k-character email is a validation error', registration.body.error.code).toBe(
        'validation_failed',
      );
      const search = await users(`email=${TEN_K}`);
      expectRule(
        `DESIGN §7: a 10k-character search parameter gets a 4xx or nothing (${search.status})`,
        search.status === 400 || (search.status === 200 && emailsOf(search).length === 0),
      ).toBe(true);
    });

    it('DESIGN §7: 10k-character parameters at /authorize and /token get a 4xx, never a 500', async () => {
      const authorize = await new Browser().get(
        (await authorizationRequest(app, 'openid', { scope: `openid ${TEN_K}` })).url,
      );
      expectRule(`DESIGN §7: 10k-character scope at /authorize (${authorize.status})`, authorize.status).toBeLessThan(
        500,
      );
      // Unknown scope values are ignored (RFC 6749 §3.3); an unregistered 10k-character redirect_uri is refused.
      const redirect = await new Browser().get(
        (await authorizationRequest(app, 'openid', { redirect_uri: `https://app.example.test/${TEN_K}` })).url,
      );
      const redirectRule = 'RFC 9700 §4.1.3 / DESIGN §7: a 10k-character redirect_uri is refused without a redirect';
      expectRule(redirectRule, redirect.status).toBe(400);
      expectRule(redirectRule, redirect.location).toBeNull();
      const unknownClient = await new Browser().get(
        `${platform.issuer}/authorize?client_id=${TEN_K}&response_type=code&scope=openid`,
      );
      expectRule(
        `DESIGN §7: 10k-character client_id at /authorize (${unknownClient.status})`,
        unknownClient.status,
      ).toBe(400);
      const token = await fetchJson(`${platform.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: TEN_K, refresh_token: TEN_K }),
      });
      expectRule('DESIGN §7: 10k-character client_id at /token', token.body.error).toBe('invalid_client');
      const bearer = await raw(`${platform.identityUrl}/api/v1/users`, {
        headers: { authorization: `Bearer ${TEN_K}` },
      });
      expectRule('RFC 6750 §3.1: a 10k-character bearer token is invalid_token', bearer.status).toBe(401);
    });
  });

  // Over-long credentials are simply wrong credentials (401 like any other), never an outage page;
  // and the backend's 400 for them must not count against its circuit breaker.
  it('DESIGN §7: 10k-character login or password on the hosted login page gets a 4xx, not a 5xx', async () => {
    for (const [login, password] of [
      [TEN_K, PASSWORD],
      ['alice@input.example', TEN_K],
    ]) {
      const res = await (await openLogin(app)).password(login!, password!);
      const rule = `DESIGN §7: 10k-character input on the login form gets a 4xx page (${res.status})`;
      expectRule(rule, res.status).toBeGreaterThanOrEqual(400);
      expectRule(rule, res.status).toBeLessThan(500);
    }
  });

  describe('SQL and LIKE metacharacters', () => {
    it.each([
      ['a quote-terminated OR', "' OR '1'='1"],
      ['a comment-terminated UNION', "x' UNION SELECT id, email FROM users --"],
      ['a stacked DROP', "x'; DROP TABLE users; --"],
    ])('OWASP ASVS 5.3.4: %s in the user search is a literal, not SQL', async (_what, injection) => {
      const res = await users(`email=${encodeURIComponent(injection)}`);
      expectRule(
        `OWASP ASVS 5.3.4: injection "${injection}" in the email filter is not a 500`,
        res.status,
      ).toBeLessThan(500);
      expectRule(
        `OWASP ASVS 5.3.4: injection "${injection}" in the email filter matches nothing`,
        emailsOf(res),
      ).toEqual([]);
      expect(emailsOf(await users('email=alice'))).toEqual(['alice@input.example']);
    });

    it('OWASP ASVS 5.3.4: LIKE wildcards (%, _) in a prefix search match only themselves', async () => {
      expectRule('LIKE metacharacter %: a literal, not "everything"', emailsOf(await users('email=%25'))).toEqual([]);
      expectRule('LIKE metacharacter _: a literal, not "any character"', emailsOf(await users('email=_'))).toEqual([]);
      expectRule('LIKE metacharacter _: a literal, not "any character"', emailsOf(await users('email=b_b'))).toEqual(
        [],
      );
      expectRule('LIKE metacharacter _ matches a real underscore', emailsOf(await users('email=carol_'))).toEqual([
        'carol_x@input.example',
      ]);
      expectRule('LIKE escape character \\ is a literal', (await users('email=%5C')).status).toBeLessThan(500);
    });

    it('OWASP ASVS 5.3.4: SQL in the sign-in form is a wrong login, not a way in', async () => {
      const page = await openLogin(app);
      const res = await page.password("alice@input.example' --", "' OR '1'='1");
      expectRule('OWASP ASVS 5.3.4: SQL in the login form signs nobody in', res.status).toBe(401);
      expectRule('OWASP ASVS 5.3.4: SQL in the login form signs nobody in', res.location).toBeNull();
    });
  });

  describe('Unicode look-alike email addresses (DESIGN §7: no look-alike duplicates)', () => {
    const create = (email: string) =>
      platform.identityAdmin('POST', '/api/v1/users', { tenantId, email, password: PASSWORD });

    it.each([
      ['NFD vs NFC (decomposed é)', 'josé@unicode.example', 'jose\u0301@unicode.example'],
      ['the Kelvin sign K (U+212A)', 'kate@unicode.example', '\u212Aate@unicode.example'],
      ['fullwidth letters', 'mallory@unicode.example', '\uFF4D\uFF41\uFF4C\uFF4C\uFF4F\uFF52\uFF59@unicode.example'],
      ['the dotless ı (U+0131)', 'admin@unicode.example', 'adm\u0131n@unicode.example'],
      ['case', 'erin@unicode.example', 'ERIN@Unicode.Example'],
    ])('DESIGN §7: %s cannot register a second account', async (what, original, lookAlike) => {
      expect((await create(original)).status).toBe(201);
      const duplicate = await create(lookAlike);
      expectRule(`DESIGN §7: look-alike email (${what}) is the same address`, duplicate.status).toBe(409);
      expectRule(`DESIGN §7: look-alike email (${what}) is the same address`, duplicate.body.error.code).toBe(
        'email_taken',
      );
    });

    it('DESIGN §7: a look-alike self-registration gets the usual answer and creates no second account', async () => {
      const res = await fetchJson(`${platform.identityUrl}/api/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          tenant: 'input',
          email: '\uFF41lice@input.example',
          password: 'a look-alike passphrase',
        }),
      });
      expect(res.status).toBe(202);
      expectRule(
        'DESIGN §7: no look-alike duplicate through registration',
        emailsOf(await users('email=alice')),
      ).toEqual(['alice@input.example']);
    });
  });

  describe('password spraying', () => {
    it('DESIGN §7: one IP spraying passwords across accounts is throttled (429 + Retry-After), even for a right password', async () => {
      const page = await openLogin(app);
      let throttled: Awaited<ReturnType<typeof page.password>> | undefined;
      for (let i = 0; i <= LOGIN_IP_MAX_FAILURES && !throttled; i++) {
        const res = await page.password(`sprayed-${i}@input.example`, 'Summer2025!');
        if (res.status === 429) throttled = res;
      }
      expectRule('DESIGN §7: per-IP throttling of failed sign-ins', throttled?.status).toBe(429);
      expectRule(
        'DESIGN §7: the throttled page says when to retry',
        Number(throttled!.page.headers.get('retry-after')),
      ).toBeGreaterThan(0);
      const rightPassword = await (await openLogin(app)).password('bob@input.example', PASSWORD);
      expectRule('DESIGN §7: a throttled IP cannot sign in meanwhile', rightPassword.status).toBe(429);
    });
  });
});
