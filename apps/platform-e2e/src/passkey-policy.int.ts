import { Browser, fetchJson } from '@platform/testing';
import * as speakeasy from 'speakeasy';
import { appBrowserContext } from './support/app-browser';
import { useChromium } from './support/chromium';
import { usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { signIn } from './support/sign-in';
import { addPlatformAuthenticator, authorizationResponse } from './support/webauthn';
import { openLogin } from './support/hosted-login';
import { consoleApp, grantRole, identityApiToken, startTotpEnrolment } from './support/user-tokens';

const PASSWORD = 'a passphrase nobody else has';
const REQUIRED = { passkeys: 'required-for-admins' };
const ACR_PHR = 'urn:identity-platform:acr:phr';

/**
 * Issue 16: the tenant passkey policy `required-for-admins` (holders of a *:write permission). An
 * administrator's password is never enough: their passkey is the only second step, and one who
 * has no passkey is refused with `passkey_required`; other users are unaffected; an administrator
 * without a passkey cannot turn the policy on for their own tenant (`passkey_policy_lockout`).
 * The issuer is http://localhost:<port>, as WebAuthn wants (see passkeys-browser.int.ts).
 */
describe('passkey policy: required for administrators', () => {
  const chromium = useChromium();
  const platform = usePlatform('passkey_policy', {}, { issuerHost: 'localhost' });

  /** A tenant with an app, an administrator (built-in tenant-admin role) and a plain member. */
  async function tenantWithAdmin(slug: string, settings?: Record<string, unknown>) {
    const tenantId = (await platform.createTenant(slug, settings)).id;
    const admin = { email: `admin@${slug}.example`, id: '' };
    admin.id = (await platform.createUser(tenantId, admin.email, PASSWORD)).id;
    await grantRole(platform, tenantId, admin.id, 'tenant-admin');
    const member = (await platform.createUser(tenantId, `member@${slug}.example`, PASSWORD)).email;
    const app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, name: `${slug} app` });
    return { tenantId, admin, member, app };
  }

  it('refuses an administrator without a passkey after the right password: a 403 page with passkey_required', async () => {
    const { admin, app } = await tenantWithAdmin('pkp-refused', REQUIRED);
    const login = await openLogin(app);
    const answer = await login.password(admin.email, PASSWORD);
    expectRule('issue 16: required-for-admins refuses an admin without a passkey', answer.status).toBe(403);
    expect(answer.page.body).toContain('passkey_required');
    expect(answer.page.body).toContain('Administrators of this organisation must sign in with a passkey');
    // A wrong password tells nothing about the policy.
    const wrong = await (await openLogin(app)).password(admin.email, 'not the password');
    expect([wrong.status, wrong.page.body.includes('passkey_required')]).toEqual([401, false]);
  });

  it('leaves a user without a *:write permission alone: the password signs them in', async () => {
    const { member, app } = await tenantWithAdmin('pkp-member', REQUIRED);
    const request = await authorizationRequest(app, 'openid', {});
    const back = await signIn(new Browser(), request.url, REDIRECT, { login: member, password: PASSWORD });
    expect(back.steps).toEqual(['login']);
    expect((await redeem(app, back.location!, request)).claims()!.amr).toEqual(['pwd']);
  });

  it('counts a *:write permission held through a group nested in another as administrator; a read-only one not', async () => {
    const slug = 'pkp-groups';
    const tenantId = (await platform.createTenant(slug, REQUIRED)).id;
    const asOperator = async (method: string, path: string, body: unknown, status: number) => {
      const res = await platform.identityAdmin(method, `${path}?tenantId=${tenantId}`, body);
      if (res.status !== status) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    const roles = (await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantId}`)).body as {
      id: string;
      name: string;
    }[];
    const roleId = (name: string) => roles.find((r) => r.name === name)!.id;
    const outer = await asOperator('POST', '/api/v1/groups', { name: 'managers' }, 201);
    const inner = await asOperator('POST', '/api/v1/groups', { name: 'team-leads' }, 201);
    const readers = await asOperator('POST', '/api/v1/groups', { name: 'auditors' }, 201);
    await asOperator('POST', `/api/v1/groups/${outer.id}/roles`, { roleIds: [roleId('user-manager')] }, 200);
    await asOperator('POST', `/api/v1/groups/${readers.id}/roles`, { roleIds: [roleId('auditor')] }, 200);
    await asOperator('POST', `/api/v1/groups/${outer.id}/groups`, { groupIds: [inner.id] }, 204);
    const lead = await platform.createUser(tenantId, `lead@${slug}.example`, PASSWORD);
    const auditor = await platform.createUser(tenantId, `auditor@${slug}.example`, PASSWORD);
    await asOperator('POST', `/api/v1/groups/${inner.id}/members`, { userIds: [lead.id] }, 204);
    await asOperator('POST', `/api/v1/groups/${readers.id}/members`, { userIds: [auditor.id] }, 204);
    const app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId, name: `${slug} app` });

    const viaGroup = await (await openLogin(app)).password(lead.email, PASSWORD);
    expectRule('issue 16: users:write through a nested group makes an administrator', [
      viaGroup.status,
      viaGroup.page.body.includes('passkey_required'),
    ]).toEqual([403, true]);
    const readOnly = await (await openLogin(app)).password(auditor.email, PASSWORD);
    expect([readOnly.status, readOnly.page.body.includes('passkey_required')]).toEqual([303, false]);
  });

  it('refuses turning the policy on through the tenants API for an administrator of the tenant who holds no passkey (409); the platform operator may', async () => {
    const { tenantId, admin } = await tenantWithAdmin('pkp-lockout');
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), admin.email, PASSWORD);
    const put = (body: unknown) =>
      fetchJson(`${platform.identityUrl}/api/v1/tenants/${tenantId}/settings`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await put(REQUIRED);
    expectRule('issue 16: no administrator locks themselves out with the passkey policy', [
      refused.status,
      refused.body.error?.code,
    ]).toEqual([409, 'passkey_policy_lockout']);
    // Other settings still change; the operator (another tenant) may set the policy.
    expect((await put({ newDeviceAlerts: true })).status).toBe(200);
    const byOperator = await platform.identityAdmin('PUT', `/api/v1/tenants/${tenantId}/settings`, REQUIRED);
    expect([byOperator.status, (byOperator.body as { passkeys: string }).passkeys]).toEqual([
      200,
      'required-for-admins',
    ]);
  });

  it('an authenticator-app sign-in does not reach the phishing-resistant acr: essential phr is unmet, mfa is met', async () => {
    const { tenantId, member, app } = await tenantWithAdmin('pkp-phr');
    const { secret, confirm } = await startTotpEnrolment(platform, tenantId, member, PASSWORD);
    let step = 0;
    // Each code from a later time step: a code is usable once.
    const code = () =>
      speakeasy.totp({ secret, encoding: 'base32', time: Math.floor(Date.now() / 1000) + 30 * step++ - 30 });
    expect((await confirm(code())).status).toBe(200);
    const essential = (value: string) => ({
      claims: JSON.stringify({ id_token: { acr: { essential: true, value } } }),
    });
    const asking = async (value: string) => {
      const request = await authorizationRequest(app, 'openid', essential(value));
      const back = await signIn(new Browser(), request.url, REDIRECT, {
        login: member,
        password: PASSWORD,
        totp: code,
      });
      return { back, request };
    };
    const phr = await asking(ACR_PHR);
    expectRule(
      'issue 16: only a passkey reaches the phishing-resistant acr',
      new URL(phr.back.location!).searchParams.get('error'),
    ).toBe('unmet_authentication_requirements');
    const mfa = await asking('urn:identity-platform:acr:mfa');
    expect((await redeem(app, mfa.back.location!, mfa.request)).claims()!.acr).toBe('urn:identity-platform:acr:mfa');
  });

  /** A tenant whose administrator registered one passkey ("Laptop") in the account console, policy `allowed` still. */
  async function adminWithPasskey(slug: string) {
    const world = await tenantWithAdmin(slug);
    const { context, page } = await browserContext();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const authenticatorId = await addPlatformAuthenticator(cdp);
    await page.goto(`${platform.issuer}/account/?tenant=${slug}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#login').waitFor({ timeout: 60_000 });
    await page.fill('#login', world.admin.email);
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { level: 2, name: 'Profile' }).waitFor({ timeout: 60_000 });
    await page.getByRole('navigation').getByRole('link', { name: 'Passkeys' }).click();
    await page.getByLabel('Name of the new passkey').fill('Laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.locator('[data-testid=passkey][data-name="Laptop"]').waitFor();
    const [credential] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    return { ...world, credential: credential! };
  }

  it("keeps an administrator's last passkey under the policy (409 passkey_required, account API); under `allowed` it may go", async () => {
    const { tenantId, admin } = await adminWithPasskey('pkp-last');
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), admin.email, PASSWORD);
    const mine = (method: string, path = '') =>
      fetchJson(`${platform.identityUrl}/api/v1/me/passkeys${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}` },
      });
    expect((await platform.identityAdmin('PUT', `/api/v1/tenants/${tenantId}/settings`, REQUIRED)).status).toBe(200);
    const [laptop] = (await mine('GET')).body as { id: string; name: string }[];
    const refused = await mine('DELETE', `/${laptop!.id}`);
    expectRule('issue 16: required-for-admins: an administrator cannot remove their only way in', [
      refused.status,
      refused.body.error?.code,
    ]).toEqual([409, 'passkey_required']);
    expect(((await mine('GET')).body as unknown[]).length).toBe(1);
    // Under `allowed` it may go.
    expect(
      (await platform.identityAdmin('PUT', `/api/v1/tenants/${tenantId}/settings`, { passkeys: 'allowed' })).status,
    ).toBe(200);
    expect((await mine('DELETE', `/${laptop!.id}`)).status).toBe(204);
  });

  it('makes the passkey the only second step of an administrator who has one (no authenticator-app code), and signs them in with it', async () => {
    const { tenantId, admin, app, credential } = await adminWithPasskey('pkp-browser');
    // Its API token now, while the password alone still signs it in.
    const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), admin.email, PASSWORD, [
      'identity.tenants.write',
    ]);
    // And an authenticator app, which the policy does not accept as an administrator's second step.
    const { secret, confirm } = await startTotpEnrolment(platform, tenantId, admin.email, PASSWORD);
    expect((await confirm(speakeasy.totp({ secret, encoding: 'base32' }))).status).toBe(200);
    // An administrator holding a passkey may turn the policy on for their own tenant.
    const turnedOn = await fetchJson(`${platform.identityUrl}/api/v1/tenants/${tenantId}/settings`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(REQUIRED),
    });
    expect([turnedOn.status, turnedOn.body.passkeys]).toEqual([200, 'required-for-admins']);

    // Another browser: no session; its authenticator gets the passkey only at the second step.
    const { page: p } = await browserContext();
    // The app requires the phishing-resistant level: only a passkey reaches it.
    const request = await authorizationRequest(app, 'openid', {
      claims: JSON.stringify({ id_token: { acr: { essential: true, value: ACR_PHR } } }),
    });
    await p.goto(request.url);
    await p.locator('#login').waitFor({ timeout: 60_000 });
    await p.fill('#login', admin.email);
    await p.fill('#password', PASSWORD);
    await p.click('button[type=submit]');
    const useIt = p.getByRole('button', { name: 'Use your passkey' });
    await useIt.waitFor();
    expectRule("issue 16: required-for-admins: an administrator's second step is the passkey alone", [
      await p.locator('#code').count(),
      await p.getByText('Use a recovery code instead').count(),
    ]).toEqual([0, 0]);
    const session = await p.context().newCDPSession(p);
    await session.send('WebAuthn.enable');
    await addPlatformAuthenticator(session, credential);
    const callback = await authorizationResponse(p, request.state, () => useIt.click());
    const tokens = await redeem(app, callback, request);
    expect(tokens.claims()!.amr).toEqual(['pwd', 'hwk', 'mfa']);
    expectRule('issue 16: a sign-in with a passkey reaches the phishing-resistant acr', tokens.claims()!.acr).toBe(
      ACR_PHR,
    );
  });

  const browserContext = () => appBrowserContext(chromium, { width: 1280, height: 800 });
});
