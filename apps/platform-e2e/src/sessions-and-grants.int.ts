import { Browser, fetchJson } from '@platform/testing';
import * as oidc from 'openid-client';
import { AUTHZ_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';

const PASSWORD = 'sessions come and sessions go';

/** Seed 002: users see and end their own sessions and grants; administrators those of their tenant's users. */
describe('sessions and grants API', () => {
  const platform = usePlatform('sessions');
  let tenantA: string;
  let tenantB: string;
  let ada: { id: string };
  let portal: RelyingParty;
  let mail: RelyingParty;

  beforeAll(async () => {
    tenantA = (await platform.createTenant('sess-a')).id;
    tenantB = (await platform.createTenant('sess-b')).id;
    ada = await platform.createUser(tenantA, 'ada@sess-a.example', PASSWORD);
    await platform.createUser(tenantB, 'boss@sess-b.example', PASSWORD);
    const roles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantB}`);
    const tenantAdmin = roles.body.find((r: { name: string }) => r.name === 'tenant-admin');
    const boss = await platform.identityAdmin('GET', `/api/v1/users?tenantId=${tenantB}&email=boss`);
    await platform.identityAdmin('POST', `/api/v1/users/${boss.body.items[0].id}/roles?tenantId=${tenantB}`, {
      roleIds: [tenantAdmin.id],
    });
    // Administering sessions takes the management API's session scopes (a user token carries only mapped permissions).
    portal = await relyingParty(platform, {
      type: 'spa',
      trusted: true,
      name: 'Portal',
      scopes: ['openid', 'profile', 'email', 'offline_access', 'authz.sessions.read', 'authz.sessions.write'],
    });
    mail = await relyingParty(platform, { type: 'spa', trusted: true, name: 'Mail' });
  });

  /** Signs in to an app in this browser, with a refresh token and an access token for the authorization server's API. */
  async function signedIn(browser: Browser, rp: RelyingParty, login: string, tenant: string, scope = '') {
    const request = await authorizationRequest(rp, `openid offline_access ${scope}`.trim(), {
      prompt: 'consent',
      resource: AUTHZ_API,
      tenant,
    });
    const back = await signIn(browser, request.url, REDIRECT, { login, password: PASSWORD });
    return redeem(rp, back.location!, request);
  }

  const api = (token: string, method: string, path: string) =>
    fetchJson(`${platform.issuer}${path}`, { method, headers: { authorization: `Bearer ${token}` } });

  const refreshes = (rp: RelyingParty, refreshToken: string) =>
    oidc.refreshTokenGrant(rp.config, refreshToken).then(
      () => true,
      () => false,
    );

  it('lists and ends their own sessions and grants, and never anyone else’s', async () => {
    const browser = new Browser();
    const portalTokens = await signedIn(browser, portal, 'ada@sess-a.example', 'sess-a');
    const mailTokens = await signedIn(browser, mail, 'ada@sess-a.example', 'sess-a');
    const me = portalTokens.access_token;

    const sessions = await api(me, 'GET', '/api/v1/me/sessions');
    expect(sessions.status).toBe(200);
    expect(sessions.body).toHaveLength(1);
    expect(sessions.body[0].clients.map((c: { clientId: string }) => c.clientId).sort()).toEqual(
      [portal.clientId, mail.clientId].sort(),
    );
    expect(sessions.body[0].amr).toEqual(['pwd']);
    const grants = await api(me, 'GET', '/api/v1/me/grants');
    const mailGrant = grants.body.find((g: { clientId: string }) => g.clientId === mail.clientId);
    expect(mailGrant.scope).toContain('offline_access');

    // Withdrawing Mail's access kills its refresh token; Portal keeps working.
    expect((await api(me, 'DELETE', `/api/v1/me/grants/${mailGrant.id}`)).status).toBe(204);
    expect(await refreshes(mail, mailTokens.refresh_token!)).toBe(false);
    const rotated = await oidc.refreshTokenGrant(portal.config, portalTokens.refresh_token!);

    // Another user cannot see or end Ada's session or grants through their own /me.
    const boss = await signedIn(new Browser(), portal, 'boss@sess-b.example', 'sess-b');
    expect((await api(boss.access_token, 'GET', '/api/v1/me/sessions')).body).toHaveLength(1);
    expect((await api(boss.access_token, 'DELETE', `/api/v1/me/sessions/${sessions.body[0].id}`)).status).toBe(404);
    const portalGrant = grants.body.find((g: { clientId: string }) => g.clientId === portal.clientId);
    expect((await api(boss.access_token, 'DELETE', `/api/v1/me/grants/${portalGrant.id}`)).status).toBe(404);

    // Ending the session signs the browser out and revokes what was granted through it.
    expect((await api(me, 'DELETE', `/api/v1/me/sessions/${sessions.body[0].id}`)).status).toBe(204);
    expect(await refreshes(portal, rotated.refresh_token!)).toBe(false);
    const silent = await browser.get((await authorizationRequest(portal, 'openid', { prompt: 'none' })).url);
    expect(new URL(silent.location!).searchParams.get('error')).toBe('login_required');
  });

  it("lets administrators end a user's access everywhere, within their own tenant only", async () => {
    const adaTokens = await signedIn(new Browser(), portal, 'ada@sess-a.example', 'sess-a');

    // Tenant B's administrator: Ada is not in their tenant, so she does not exist for them.
    const boss = await signedIn(
      new Browser(),
      portal,
      'boss@sess-b.example',
      'sess-b',
      'authz.sessions.read authz.sessions.write',
    );
    expect((await api(boss.access_token, 'GET', `/api/v1/users/${ada.id}/sessions`)).status).toBe(404);
    expect((await api(boss.access_token, 'DELETE', `/api/v1/users/${ada.id}/sessions`)).status).toBe(404);
    // Ada herself holds no administrator permission.
    expect((await api(adaTokens.access_token, 'GET', `/api/v1/users/${ada.id}/grants`)).status).toBe(403);

    const operator = await platform.adminToken('authz.sessions.read authz.sessions.write', AUTHZ_API);
    const listed = await api(operator, 'GET', `/api/v1/users/${ada.id}/sessions`);
    expect(listed.body).toHaveLength(1);
    expect((await api(operator, 'DELETE', `/api/v1/users/${ada.id}/sessions`)).status).toBe(204);
    expect((await api(operator, 'GET', `/api/v1/users/${ada.id}/sessions`)).body).toEqual([]);
    expect((await api(operator, 'GET', `/api/v1/users/${ada.id}/grants`)).body).toEqual([]);
    expect(await refreshes(portal, adaTokens.refresh_token!)).toBe(false);
    expect((await api(operator, 'GET', '/api/v1/users/not-a-uuid/sessions')).status).toBe(400);
  });
});
