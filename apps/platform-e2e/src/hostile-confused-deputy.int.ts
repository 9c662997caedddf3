import { TENANT_IDENTITY_PERMISSIONS } from '@platform/contracts';
import { Browser, type BrowserResponse, fetchJson, formValue } from '@platform/testing';
import { decodeJwt } from 'jose';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { eventually, expectRule } from './support/rules';
import { pageAction, signIn } from './support/sign-in';
import { consoleApp, grantRole, IDENTITY_ADMIN_SCOPES, identityApiToken } from './support/user-tokens';

const PASSWORD = 'deputies should not be confused';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TENANT_ADMIN_PERMISSIONS = TENANT_IDENTITY_PERMISSIONS;
const RULE = 'DESIGN §2: a user token carries user permissions ∩ permissions of the scopes granted to the client';

/** The page's content, without the frame (keeps failure messages short). */
const mainOf = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;

const claimsOf = (token: string) => decodeJwt(token) as { permissions?: string[]; roles?: string[]; scope?: string };

/**
 * Issue 11, defect 2: a user token used to carry every permission of the user's roles, whatever
 * client asked for it and whatever the user consented to. Scopes bound the client, permissions
 * bound the user, and the token carries their intersection.
 */
describe('hostile: confused deputy (scopes bound the client, permissions bound the user)', () => {
  const platform = usePlatform('confused_deputy', { authz: { BOOTSTRAP_DEMO_CLIENT: 'true' } });
  let defaultTenant: string;
  let tenant: string;

  beforeAll(async () => {
    const tenants = await platform.identityAdmin('GET', '/api/v1/tenants');
    defaultTenant = (tenants.body.items ?? tenants.body).find((t: { slug: string }) => t.slug === 'default').id;
    const victim = await platform.createUser(defaultTenant, 'victim.admin@example.com', PASSWORD);
    await grantRole(platform, defaultTenant, victim.id, 'tenant-admin');
    tenant = (await platform.createTenant('deputy')).id;
    const admin = await platform.createUser(tenant, 'admin@deputy.example', PASSWORD);
    await grantRole(platform, tenant, admin.id, 'tenant-admin');
  });

  const listUsers = (token: string) =>
    fetch(`${platform.identityUrl}/api/v1/users`, { headers: { authorization: `Bearer ${token}` } });

  it('device-code phishing: a tenant admin approving the demo app hands the attacker no admin power', async () => {
    // The attacker asks for everything the public demo client may hold, for the identity API.
    const demo = await platform.authzAdmin('GET', '/api/v1/clients/demo');
    expect(demo.status).toBe(200);
    const scope = String(demo.body.metadata.scope);
    const start = await fetchJson(`${platform.issuer}/device/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'demo', scope, resource: IDENTITY_API }),
    });
    expect(start.status).toBe(200);

    // The victim, lured to the verification page, enters the code, confirms and signs in.
    const victim = new Browser();
    const entry = await victim.get(start.body.verification_uri);
    const confirm = await victim.post(start.body.verification_uri, {
      xsrf: formValue(entry.body, 'xsrf')!,
      user_code: start.body.user_code,
    });
    const seen: string[] = [mainOf(confirm.body)];
    const toLogin = await victim.post(new URL(/action="([^"]+)"/.exec(confirm.body)![1]!, entry.url).toString(), {
      xsrf: formValue(confirm.body, 'xsrf')!,
      user_code: start.body.user_code,
      confirm: 'yes',
    });
    let page = await victim.continue(toLogin);
    page = await submit(victim, page, { login: 'victim.admin@example.com', password: PASSWORD });
    if (pageAction(page)?.endsWith('/consent')) {
      seen.push(mainOf(page.body));
      page = await submit(victim, page, {});
    }
    expect(page.body).toContain('Device connected');

    const tokens = await eventually(
      async () => {
        const res = await fetchJson(`${platform.issuer}/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: DEVICE_GRANT,
            device_code: start.body.device_code,
            client_id: 'demo',
          }),
        });
        return ['authorization_pending', 'slow_down'].includes(res.body.error) ? null : res;
      },
      60_000,
      5_500,
    );
    expect(tokens?.status).toBe(200);
    const claims = claimsOf(tokens!.body.access_token);
    expectRule(`${RULE} (demo app)`, claims.permissions ?? []).toEqual([]);
    expectRule(`${RULE} (demo app: list users)`, (await listUsers(tokens!.body.access_token)).status).toBe(403);

    // What the victim was shown: the client, the code, the API and what is being granted.
    const confirmation = seen[0]!;
    expectRule('DESIGN §2: the device page names the client', confirmation).toContain('Demo app');
    expectRule('DESIGN §2: the device page shows the user code', confirmation).toMatch(
      new RegExp(`class="code"[^>]*>\\s*${start.body.user_code}`),
    );
    expectRule('DESIGN §7: consent names the API', seen.join('\n')).toContain('Identity Platform API');
    expectRule('DESIGN §7: consent describes each scope', seen.join('\n')).toContain('See your name and profile');
  });

  describe('browser flow', () => {
    /** Signs the tenant admin in to `app`: the identity API access token, the hosted steps and the pages shown. */
    async function tokenFor(app: RelyingParty, scope: string) {
      const request = await authorizationRequest(app, scope, { resource: IDENTITY_API });
      const browser = new Browser();
      const atClient = (url: string) => url.startsWith(REDIRECT);
      const steps: string[] = [];
      const pages: string[] = [];
      let page = await browser.follow(request.url, atClient);
      while (!(page.location && atClient(page.location)) && steps.length < 4) {
        steps.push(pageAction(page)?.split('/').pop() ?? `no form (${page.status})`);
        pages.push(mainOf(page.body));
        const credentials = { login: 'admin@deputy.example', password: PASSWORD };
        page = await submit(browser, page, steps.at(-1) === 'login' ? credentials : {}, atClient);
      }
      const tokens = await redeem(app, page.location!, request);
      return { accessToken: tokens.access_token, steps, pages };
    }

    it('an untrusted client allowed only openid profile gets a token without any permission', async () => {
      const app = await relyingParty(platform, {
        type: 'confidential',
        tenantId: tenant,
        scopes: ['openid', 'profile'],
      });
      const { accessToken, steps, pages } = await tokenFor(app, 'openid profile');
      expect(steps).toEqual(['login', 'consent']);
      expectRule(RULE, claimsOf(accessToken).permissions ?? []).toEqual([]);
      expectRule(`${RULE} (list users)`, (await listUsers(accessToken)).status).toBe(403);
      expectRule('DESIGN §7: consent names the API', pages.join('\n')).toContain('Identity Platform API');
    });

    it('a client allowed identity.users.read gets exactly users:read, though the user holds nine permissions', async () => {
      const app = await relyingParty(platform, {
        type: 'confidential',
        tenantId: tenant,
        scopes: ['openid', 'identity.users.read'],
      });
      const { accessToken, steps, pages } = await tokenFor(app, 'openid identity.users.read');
      expect(steps).toEqual(['login', 'consent']);
      expectRule(RULE, claimsOf(accessToken).permissions).toEqual(['users:read']);
      expect((await listUsers(accessToken)).status).toBe(200);
      const write = await fetch(`${platform.identityUrl}/api/v1/roles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'not-for-a-reader', permissions: ['users:read'] }),
      });
      expectRule(`${RULE} (create a role)`, write.status).toBe(403);
      expectRule('DESIGN §7: consent names the API', pages.join('\n')).toContain('Identity Platform API');
      expectRule('DESIGN §7: consent describes each scope', pages.join('\n')).toContain(
        'Read the users of your organisation',
      );
    });

    it('a trusted console asking every identity admin scope still carries all of the admin permissions', async () => {
      const { accessToken } = await identityApiToken(
        await consoleApp(platform, tenant),
        'admin@deputy.example',
        PASSWORD,
      );
      expect([...(claimsOf(accessToken).permissions ?? [])].sort()).toEqual([...TENANT_ADMIN_PERMISSIONS].sort());
      expect(claimsOf(accessToken).roles).toEqual(['tenant-admin']);
      expect(String(claimsOf(accessToken).scope).split(' ').sort()).toEqual([...IDENTITY_ADMIN_SCOPES].sort());
    });
  });

  describe('APIs declare which permissions each scope covers', () => {
    it('maps a product API scope to permissions, and refuses a mapping for a scope the API does not have', async () => {
      const bad = await platform.authzAdmin('POST', '/api/v1/resource-servers', {
        identifier: 'https://reports.deputy.example',
        name: 'Reports',
        scopes: ['reports.read'],
        scopePermissions: { 'reports.write': ['reports:write'] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_scope_permissions');
      const created = await platform.authzAdmin('POST', '/api/v1/resource-servers', {
        identifier: 'https://reports.deputy.example',
        name: 'Reports',
        scopes: ['reports.read', 'reports.export'],
        includePermissions: true,
        scopePermissions: { 'reports.read': ['users:read'] },
        scopeDescriptions: { 'reports.read': 'Read the monthly reports' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ scopePermissions: { 'reports.read': ['users:read'] } });
      const updated = await platform.authzAdmin(
        'PATCH',
        `/api/v1/resource-servers/${encodeURIComponent('https://reports.deputy.example')}`,
        { scopePermissions: { 'reports.read': ['users:read', 'audit:read'] } },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.scopePermissions).toEqual({ 'reports.read': ['users:read', 'audit:read'] });

      const app = await relyingParty(platform, {
        type: 'confidential',
        trusted: true,
        tenantId: tenant,
        scopes: ['openid', 'reports.read', 'reports.export'],
      });
      const scopedTo = async (scope: string) => {
        const request = await authorizationRequest(app, scope, { resource: 'https://reports.deputy.example' });
        const back = await signIn(new Browser(), request.url, REDIRECT, {
          login: 'admin@deputy.example',
          password: PASSWORD,
        });
        return claimsOf((await redeem(app, back.location!, request)).access_token);
      };
      expect((await scopedTo('openid reports.read')).permissions?.sort()).toEqual(['audit:read', 'users:read']);
      // A scope that maps nothing carries nothing, roles included.
      const unmapped = await scopedTo('openid reports.export');
      expect(unmapped.permissions ?? []).toEqual([]);
      expect(unmapped.roles).toBeUndefined();
    });
  });
});

/** Submits the hosted page's first form (login or consent) with its CSRF token and follows on. */
async function submit(
  browser: Browser,
  page: BrowserResponse,
  fields: Record<string, string>,
  stopAt?: (url: string) => boolean,
) {
  const action = pageAction(page);
  if (!action) throw new Error(`no form at ${page.url}: ${page.status} ${page.body.slice(0, 300)}`);
  const res = await browser.post(new URL(action, page.url).toString(), {
    csrf: formValue(page.body, 'csrf')!,
    ...fields,
  });
  return browser.continue(res, stopAt);
}
