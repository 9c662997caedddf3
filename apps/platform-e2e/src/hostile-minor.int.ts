import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Browser, type BrowserResponse, fetchJson, formValue } from '@platform/testing';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, relyingParty } from './support/relying-party';
import { launchChromium, screenshotter } from './support/chromium';
import { expectRule } from './support/rules';
import { consoleApp, grantRole, identityApiToken } from './support/user-tokens';

const PASSWORD = 'small holes sink big ships';
const shoot = screenshotter('hostile-minor');

/**
 * Hostile suite, issue 11 defect 8 (the minor items): every HTML page of both services refuses to
 * be framed, and the audit API is tenant-scoped like the rest (404 for another tenant's user) while
 * a platform operator reads it across tenants.
 */
describe('hostile: framing of every HTML page, and the audit API', () => {
  const platform = usePlatform('hostile_minor');
  let tenantA: string;
  let tenantB: string;
  let userA: { id: string };
  let userB: { id: string };
  let adminAToken: string;

  beforeAll(async () => {
    tenantA = (await platform.createTenant('minor-a')).id;
    tenantB = (await platform.createTenant('minor-b')).id;
    userA = await platform.createUser(tenantA, 'alice@minor-a.example', PASSWORD);
    userB = await platform.createUser(tenantB, 'bob@minor-b.example', PASSWORD);
    const adminA = await platform.createUser(tenantA, 'admin@minor-a.example', PASSWORD);
    await grantRole(platform, tenantA, adminA.id, 'tenant-admin');
    // Registered before any login page of the tenant is shown (the login page caches the list).
    const idp = await platform.identityAdmin('POST', `/api/v1/idps?tenantId=${tenantA}`, {
      slug: 'gone-sso',
      displayName: 'Gone SSO',
      issuer: 'https://sso.gone.example',
      clientId: 'downstream',
    });
    expect(idp.status).toBe(201);
    adminAToken = (await identityApiToken(await consoleApp(platform, tenantA), 'admin@minor-a.example', PASSWORD))
      .accessToken;
  });

  describe('DESIGN §7: no HTML page can be framed (clickjacking)', () => {
    /** Every HTML page a visitor can reach without credentials, or with the test's own sign-in. */
    async function htmlPages(): Promise<[string, BrowserResponse][]> {
      const pages: [string, BrowserResponse][] = [];
      const visit = async (name: string, response: Promise<BrowserResponse>) => {
        pages.push([name, await response]);
        return pages.at(-1)![1];
      };
      const browser = new Browser();
      for (const [service, base] of [
        ['authorization server', platform.issuer],
        ['identity backend', platform.identityUrl],
      ]) {
        await visit(`${service} Swagger UI`, browser.follow(`${base}/api/docs`));
        await visit(`${service} Swagger UI (slash)`, browser.follow(`${base}/api/docs/`));
      }
      const app = await relyingParty(platform, {
        type: 'spa',
        trusted: true,
        tenantId: tenantA,
        postLogoutRedirectUris: ['https://app.example.test/signed-out'],
      });
      await visit('login page', browser.follow((await authorizationRequest(app, 'openid')).url));
      await visit(
        'OAuth error page',
        browser.follow(`${platform.issuer}/authorize?client_id=nobody&response_type=code`),
      );
      await visit('device code entry', browser.follow(`${platform.issuer}/device`));
      const deviceEntry = pages.at(-1)![1];
      await visit(
        'device code rejected',
        browser.post(`${platform.issuer}/device`, {
          xsrf: formValue(deviceEntry.body, 'xsrf') ?? '',
          user_code: 'WRONG-CODE',
        }),
      );
      const logout = await visit('logout confirmation', browser.follow(`${platform.issuer}/logout`));
      const action = logout.body.match(/action="([^"]+)"/)?.[1];
      if (action) {
        const done = await browser.post(new URL(action, platform.issuer).toString(), {
          xsrf: formValue(logout.body, 'xsrf') ?? '',
          logout: 'yes',
        });
        await visit('signed out', done.location ? browser.follow(done.location) : Promise.resolve(done));
      }
      // An upstream IdP that cannot be reached: the 503 page.
      const login = await new Browser().follow((await authorizationRequest(app, 'openid')).url);
      const link = login.body.match(/href="([^"]+)">Sign in with Gone SSO</)?.[1];
      expect(link).toBeTruthy();
      if (link) await visit('upstream IdP unavailable', new Browser().follow(new URL(link, login.url).toString()));
      return pages;
    }

    it('sends X-Frame-Options DENY and CSP frame-ancestors none with every HTML response of both services', async () => {
      const pages = await htmlPages();
      const html = pages.filter(([, res]) => (res.headers.get('content-type') ?? '').startsWith('text/html'));
      // The loop must have reached the pages it claims to check.
      expect(html.map(([name]) => name)).toEqual(
        expect.arrayContaining([
          'authorization server Swagger UI',
          'identity backend Swagger UI',
          'login page',
          'OAuth error page',
          'device code entry',
          'device code rejected',
          'logout confirmation',
          'signed out',
          'upstream IdP unavailable',
        ]),
      );
      const unframeable = (res: BrowserResponse) =>
        res.headers.get('x-frame-options') === 'DENY' &&
        /(^|;)\s*frame-ancestors 'none'/.test(res.headers.get('content-security-policy') ?? '');
      const framable = html.filter(([, res]) => !unframeable(res)).map(([name, res]) => `${name} (${res.url})`);
      expectRule('DESIGN §7: every HTML page carries X-Frame-Options DENY and frame-ancestors none', framable).toEqual(
        [],
      );
    });

    it('keeps the Swagger UI working under its CSP: its scripts and styles are same-origin files', async () => {
      for (const base of [platform.issuer, platform.identityUrl]) {
        const page = await new Browser().follow(`${base}/api/docs`);
        expect(page.status).toBe(200);
        const csp = page.headers.get('content-security-policy') ?? '';
        // Inline scripts would need 'unsafe-inline' or a hash: Swagger's init script is a file of its own.
        expect(csp).toMatch(/script-src 'self'/);
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        for (const src of page.body.matchAll(/<script[^>]+src="([^"]+)"/g)) {
          const asset = await fetch(new URL(src[1]!, page.url));
          expect({ src: src[1], status: asset.status }).toEqual({ src: src[1], status: 200 });
        }
        expect(page.body).not.toMatch(/<script>(?!\s*<\/script>)/);
      }
    });
    it('renders the Swagger UI in Chromium without a single CSP violation, and refuses to be framed', async () => {
      const chromium = await launchChromium();
      try {
        for (const base of [platform.issuer, platform.identityUrl]) {
          const page = await chromium.newPage();
          const violations: string[] = [];
          page.on('console', (message) => {
            if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
          });
          await page.goto(`${base}/api/docs`);
          await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
          await shoot(page, `swagger-${base === platform.issuer ? 'authz' : 'identity'}`);
          expect(violations).toEqual([]);

          // Framed by another origin (a page of its own on loopback), Chromium shows its error page instead.
          const attackerSite = createServer((_req, res) =>
            res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${base}/api/docs"></iframe>`),
          );
          await new Promise<void>((resolve) => attackerSite.listen(0, '127.0.0.1', resolve));
          const attacker = await chromium.newPage();
          try {
            // 'load' fires once the frame has loaded, its content or the error page.
            await attacker.goto(`http://127.0.0.1:${(attackerSite.address() as AddressInfo).port}/`, {
              waitUntil: 'load',
            });
          } finally {
            await new Promise((resolve) => attackerSite.close(resolve));
          }
          const shownInFrame =
            attacker
              .frames()
              .find((f) => f !== attacker.mainFrame())
              ?.url() ?? '';
          expectRule('DESIGN §7: the Swagger UI cannot be framed', shownInFrame).toMatch(/^chrome-error:/);
          await attacker.close();
          await page.close();
        }
        // The provider's own auto-submitting page (sign-out without a session) still runs its script under the CSP.
        const page = await chromium.newPage();
        await page.goto(`${platform.issuer}/logout`);
        await page.waitForURL(/\/logout\/success/, { timeout: 30_000 });
        await expect(page.getByText('You have been signed out.').count()).resolves.toBe(1);
        await page.close();
      } finally {
        await chromium.close();
      }
    });
  });

  describe('DESIGN §2: the audit API is tenant-scoped, and operators read it across tenants', () => {
    const asAdminA = (path: string) =>
      fetchJson(`${platform.identityUrl}${path}`, { headers: { authorization: `Bearer ${adminAToken}` } });
    /** A platform operator's console: admin-cli with platform.admin and the audit scope. */
    const asOperator = async (path: string) =>
      fetchJson(`${platform.identityUrl}${path}`, {
        headers: {
          authorization: `Bearer ${await platform.adminToken('platform.admin identity.audit.read', IDENTITY_API)}`,
        },
      });
    const entries = (body: { items: { targetId: string; tenantId: string }[] }) => body.items;

    it("answers 404 for another tenant's user's audit trail, like every other foreign resource", async () => {
      const foreign = await asAdminA(`/api/v1/users/${userB.id}/audit-events`);
      expectRule("DESIGN: 404 for another tenant's user (audit trail)", foreign.status).toBe(404);
      const unknown = await asAdminA(`/api/v1/users/00000000-0000-4000-8000-000000000001/audit-events`);
      expect(unknown.status).toBe(404);
      const own = await asAdminA(`/api/v1/users/${userA.id}/audit-events`);
      expect(own.status).toBe(200);
      expect(entries(own.body).map((e) => e.targetId)).toContain(userA.id);
    });

    it("gives a tenant administrator their own tenant's trail, and 404 for another tenant's", async () => {
      const own = await asAdminA('/api/v1/audit-events?limit=200');
      expect(own.status).toBe(200);
      expect(new Set(entries(own.body).map((e) => e.tenantId))).toEqual(new Set([tenantA]));
      expect((await asAdminA(`/api/v1/audit-events?tenantId=${tenantB}`)).status).toBe(404);
    });

    it('gives a platform administrator every tenant without tenantId, one tenant with it', async () => {
      const all = await asOperator('/api/v1/audit-events?limit=200');
      expectRule('a platform administrator reads the audit log across tenants', all.status).toBe(200);
      const tenants = new Set(entries(all.body).map((e) => e.tenantId));
      expect(tenants.has(tenantA) && tenants.has(tenantB)).toBe(true);

      const onlyB = await asOperator(`/api/v1/audit-events?tenantId=${tenantB}&limit=200`);
      expectRule('a platform administrator filters the audit log by tenantId', onlyB.status).toBe(200);
      expect(new Set(entries(onlyB.body).map((e) => e.tenantId))).toEqual(new Set([tenantB]));
      expect(entries(onlyB.body).map((e) => e.targetId)).toContain(userB.id);

      const userTrail = await asOperator(`/api/v1/users/${userB.id}/audit-events?tenantId=${tenantB}`);
      expect(userTrail.status).toBe(200);
    });

    it('pages through the entries with the cursor, newest first, without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const path = `/api/v1/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await asOperator(path);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((e: { id: string }) => e.id));
        cursor = page.body.nextCursor;
      } while (cursor && seen.length < 400);
      const all = await asOperator('/api/v1/audit-events?limit=200');
      expect(seen).toEqual(all.body.items.map((e: { id: string }) => e.id));
      expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
      const bad = await asOperator('/api/v1/audit-events?cursor=not-a-cursor');
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor' } } });
    });
  });
});
