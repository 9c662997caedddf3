import { Browser, fetchJsonWithBearer } from '@platform/testing';
import * as oidc from 'openid-client';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';
import { consoleApp, grantRole, identityApiToken } from './support/user-tokens';

const PASSWORD = 'groups of groups of people';
const jwtClaims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());

/**
 * Issue 16, groups: a user's effective permissions are their direct roles plus the roles of every
 * group they are in, directly or through nested groups; tokens show it at once (a refresh picks up
 * a change), cycles are refused, and no group, user or role of another tenant can be reached.
 * Also seed 002's resource paths: a role's permissions, a user's profile and an IdP's federation.
 */
describe('groups', () => {
  const platform = usePlatform('groups');
  let tenantA: string;
  let tenantB: string;
  let ada: { id: string };
  let admin: { id: string };
  let bob: { id: string };
  let portal: RelyingParty;
  let adminToken: string;

  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${platform.identityUrl}${path}`, token, method, body);
  /** As tenant A's administrator (a user holding tenant-admin). */
  const asAdmin = (method: string, path: string, body?: unknown) => api(adminToken, method, path, body);
  const created = async (path: string, body: unknown) => {
    const res = await asAdmin('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; name: string };
  };

  beforeAll(async () => {
    tenantA = (await platform.createTenant('groups-a')).id;
    tenantB = (await platform.createTenant('groups-b')).id;
    ada = await platform.createUser(tenantA, 'ada@groups-a.example', PASSWORD);
    admin = await platform.createUser(tenantA, 'admin@groups-a.example', PASSWORD);
    bob = await platform.createUser(tenantB, 'bob@groups-b.example', PASSWORD);
    await grantRole(platform, tenantA, admin.id, 'tenant-admin');
    adminToken = (await identityApiToken(await consoleApp(platform, tenantA), 'admin@groups-a.example', PASSWORD))
      .accessToken;
    portal = await relyingParty(platform, {
      type: 'spa',
      trusted: true,
      tenantId: tenantA,
      name: 'Groups portal',
      scopes: ['openid', 'offline_access', 'groups', 'identity.users.read', 'identity.audit.read'],
    });
  }, 180_000);

  /** Ada signs in to the portal: tokens for the identity API, with a refresh token. */
  async function adaSignsIn() {
    const request = await authorizationRequest(
      portal,
      'openid offline_access groups identity.users.read identity.audit.read',
      {
        resource: IDENTITY_API,
      },
    );
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'ada@groups-a.example',
      password: PASSWORD,
    });
    return redeem(portal, back.location!, request);
  }

  it('permissions through a group (and a group inside it) reach tokens, and leave them when the user leaves', async () => {
    const readers = await created('/api/v1/roles', { name: 'user-readers', permissions: ['users:read'] });
    const auditors = await created('/api/v1/roles', { name: 'trail-readers', permissions: ['audit:read'] });
    const staff = await created('/api/v1/groups', { name: 'staff', description: 'Everyone' });
    const support = await created('/api/v1/groups', { name: 'support' });
    expect((await asAdmin('POST', `/api/v1/groups/${staff.id}/roles`, { roleIds: [readers.id] })).status).toBe(200);
    expect((await asAdmin('POST', `/api/v1/groups/${support.id}/roles`, { roleIds: [auditors.id] })).status).toBe(200);
    // support is inside staff: support's members are staff members too.
    expect((await asAdmin('POST', `/api/v1/groups/${staff.id}/groups`, { groupIds: [support.id] })).status).toBe(204);
    expect((await asAdmin('POST', `/api/v1/groups/${support.id}/members`, { userIds: [ada.id] })).status).toBe(204);

    const members = await asAdmin('GET', `/api/v1/groups/${support.id}/members`);
    expect([members.status, members.body.items.map((u: { id: string }) => u.id)]).toEqual([200, [ada.id]]);
    const effective = await asAdmin('GET', `/api/v1/users/${ada.id}/permissions`);
    expect(effective.body.permissions).toEqual(['audit:read', 'users:read']);

    const tokens = await adaSignsIn();
    const access = jwtClaims(tokens.access_token);
    expect(access.permissions.sort()).toEqual(['audit:read', 'users:read']);
    expect(access.roles.sort()).toEqual(['trail-readers', 'user-readers']);
    expect(jwtClaims(tokens.id_token!).groups.sort()).toEqual(['staff', 'support']);

    // Ada leaves support: her next refresh carries neither group's permissions.
    expect((await asAdmin('DELETE', `/api/v1/groups/${support.id}/members/${ada.id}`)).status).toBe(204);
    const refreshed = await oidc.refreshTokenGrant(portal.config, tokens.refresh_token!, { resource: IDENTITY_API });
    const after = jwtClaims(refreshed.access_token);
    expect(after.permissions ?? []).toEqual([]);
    expect(jwtClaims(refreshed.id_token!).groups ?? []).toEqual([]);

    // The audit trail names each group change.
    const audit = await asAdmin('GET', `/api/v1/audit-events?limit=200`);
    const actions = (audit.body.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'identity.group.created.v1',
        'identity.group.roles_changed.v1',
        'identity.group.subgroups_changed.v1',
        'identity.group.members_changed.v1',
      ]),
    );
  });

  it('without the groups scope the ID token carries no groups claim', async () => {
    const team = await created('/api/v1/groups', { name: 'quiet-team' });
    await asAdmin('POST', `/api/v1/groups/${team.id}/members`, { userIds: [ada.id] });
    const request = await authorizationRequest(portal, 'openid', {});
    const back = await signIn(new Browser(), request.url, REDIRECT, {
      login: 'ada@groups-a.example',
      password: PASSWORD,
    });
    const tokens = await redeem(portal, back.location!, request);
    expect(jwtClaims(tokens.id_token!).groups).toBeUndefined();
  });

  it('refuses a cycle, at any depth, with 400 group_cycle', async () => {
    const [a, b, c] = [
      await created('/api/v1/groups', { name: 'cycle-a' }),
      await created('/api/v1/groups', { name: 'cycle-b' }),
      await created('/api/v1/groups', { name: 'cycle-c' }),
    ];
    expect((await asAdmin('POST', `/api/v1/groups/${a.id}/groups`, { groupIds: [b.id] })).status).toBe(204);
    expect((await asAdmin('POST', `/api/v1/groups/${b.id}/groups`, { groupIds: [c.id] })).status).toBe(204);
    for (const [parent, child] of [
      [c, a],
      [b, a],
      [a, a],
    ]) {
      const res = await asAdmin('POST', `/api/v1/groups/${parent.id}/groups`, { groupIds: [child.id] });
      expect({ parent: parent.name, child: child.name, status: res.status, code: res.body?.error?.code }).toEqual({
        parent: parent.name,
        child: child.name,
        status: 400,
        code: 'group_cycle',
      });
    }
    const subgroups = await asAdmin('GET', `/api/v1/groups/${c.id}/groups`);
    expect(subgroups.body).toEqual([]);
  });

  it('pages members with a cursor', async () => {
    const big = await created('/api/v1/groups', { name: 'big' });
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await platform.createUser(tenantA, `member${i}@groups-a.example`, PASSWORD));
    await asAdmin('POST', `/api/v1/groups/${big.id}/members`, { userIds: users.map((u) => u.id) });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await asAdmin(
        'GET',
        `/api/v1/groups/${big.id}/members?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((u: { id: string }) => u.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(users.map((u) => u.id).sort());
    expect((await asAdmin('GET', `/api/v1/groups/${big.id}/members?cursor=garbage`)).body.error.code).toBe(
      'invalid_cursor',
    );
  });

  it("hostile tenant admin: another tenant's groups, users and roles do not exist (404)", async () => {
    const theirGroup = await platform.identityAdmin('POST', `/api/v1/groups?tenantId=${tenantB}`, { name: 'b-staff' });
    expect(theirGroup.status).toBe(201);
    const theirRoles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantB}`);
    const theirRole = theirRoles.body[0] as { id: string };
    const mine = await created('/api/v1/groups', { name: 'mine' });
    const g = theirGroup.body.id;

    const attempts = {
      list: (await asAdmin('GET', `/api/v1/groups?tenantId=${tenantB}`)).status,
      get: (await asAdmin('GET', `/api/v1/groups/${g}`)).status,
      patch: (await asAdmin('PATCH', `/api/v1/groups/${g}`, { description: 'owned' })).status,
      delete: (await asAdmin('DELETE', `/api/v1/groups/${g}`)).status,
      members: (await asAdmin('GET', `/api/v1/groups/${g}/members`)).status,
      joinTheirs: (await asAdmin('POST', `/api/v1/groups/${g}/members`, { userIds: [ada.id] })).status,
      addTheirUser: (await asAdmin('POST', `/api/v1/groups/${mine.id}/members`, { userIds: [bob.id] })).status,
      nestTheirs: (await asAdmin('POST', `/api/v1/groups/${mine.id}/groups`, { groupIds: [g] })).status,
      nestIntoTheirs: (await asAdmin('POST', `/api/v1/groups/${g}/groups`, { groupIds: [mine.id] })).status,
      theirRole: (await asAdmin('POST', `/api/v1/groups/${mine.id}/roles`, { roleIds: [theirRole.id] })).status,
      theirUserGroups: (await asAdmin('GET', `/api/v1/users/${bob.id}/groups`)).status,
    };
    expect(attempts).toEqual({
      list: 404,
      get: 404,
      patch: 404,
      delete: 404,
      members: 404,
      joinTheirs: 404,
      addTheirUser: 404,
      nestTheirs: 404,
      nestIntoTheirs: 404,
      theirRole: 404,
      theirUserGroups: 404,
    });
    // Nothing changed on their side.
    const theirs = await platform.identityAdmin('GET', `/api/v1/groups/${g}?tenantId=${tenantB}`);
    expect([theirs.status, theirs.body.description]).toEqual([200, '']);
    expect((await platform.identityAdmin('GET', `/api/v1/groups/${g}/groups?tenantId=${tenantB}`)).body).toEqual([]);
    expect((await asAdmin('GET', `/api/v1/groups/${mine.id}/members`)).body.items).toEqual([]);
  });

  describe("seed 002's resource paths", () => {
    it('/roles/{id}/permissions lists, adds and removes a role permission; reserved ones stay refused', async () => {
      const role = await created('/api/v1/roles', { name: 'sub-resource', permissions: ['users:read'] });
      const path = `/api/v1/roles/${role.id}/permissions`;
      expect((await asAdmin('GET', path)).body).toEqual(['users:read']);
      const added = await asAdmin('POST', path, { permissions: ['audit:read', 'users:read'] });
      expect([added.status, added.body]).toEqual([200, ['audit:read', 'users:read']]);
      for (const permissions of [['platform:admin'], ['authz-keys:write'], ['authz-apis:read', 'users:write']]) {
        const refused = await asAdmin('POST', path, { permissions });
        expect({ permissions, status: refused.status, code: refused.body?.error?.code }).toEqual({
          permissions,
          status: 400,
          code: 'reserved_permission',
        });
      }
      expect((await asAdmin('POST', path, { permissions: ['not a permission'] })).status).toBe(400);
      expect((await asAdmin('DELETE', `${path}/users:read`)).status).toBe(204);
      expect((await asAdmin('GET', path)).body).toEqual(['audit:read']);
      expect((await asAdmin('GET', `/api/v1/roles/${role.id}`)).body.permissions).toEqual(['audit:read']);
      // Another tenant's role does not exist.
      const theirRoles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantB}`);
      const theirs = `/api/v1/roles/${theirRoles.body[0].id}/permissions`;
      expect((await asAdmin('GET', theirs)).status).toBe(404);
      expect((await asAdmin('POST', theirs, { permissions: ['users:read'] })).status).toBe(404);
      expect((await asAdmin('DELETE', `${theirs}/users:read`)).status).toBe(404);
    });

    it('/users/{id}/profile is readable as well as writable', async () => {
      const path = `/api/v1/users/${ada.id}/profile`;
      expect((await asAdmin('PUT', path, { given_name: 'Ada', family_name: 'Lovelace' })).status).toBe(200);
      const profile = await asAdmin('GET', path);
      expect([profile.status, profile.body]).toEqual([200, { given_name: 'Ada', family_name: 'Lovelace' }]);
      expect((await asAdmin('GET', `/api/v1/users/${bob.id}/profile`)).status).toBe(404);
    });

    it('/idps/{id}/federation reads and replaces the federation settings', async () => {
      const idp = await asAdmin('POST', '/api/v1/idps', {
        slug: 'corp',
        displayName: 'Corp SSO',
        issuer: 'https://sso.corp.example',
        clientId: 'platform',
      });
      expect(idp.status).toBe(201);
      const path = `/api/v1/idps/${idp.body.id}/federation`;
      expect((await asAdmin('GET', path)).body).toEqual({
        jitProvisioning: false,
        autoLinkVerifiedEmail: false,
        claimMapping: {},
        defaultRoleId: null,
      });
      const role = await created('/api/v1/roles', { name: 'federated', permissions: ['users:read'] });
      const settings = {
        jitProvisioning: true,
        autoLinkVerifiedEmail: true,
        claimMapping: { given_name: 'first_name' },
        defaultRoleId: role.id,
      };
      const put = await asAdmin('PUT', path, settings);
      expect([put.status, put.body]).toEqual([200, settings]);
      expect((await asAdmin('GET', path)).body).toEqual(settings);
      expect((await asAdmin('GET', `/api/v1/idps/${idp.body.id}`)).body.jitProvisioning).toBe(true);

      const theirRoles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantB}`);
      const foreignRole = await asAdmin('PUT', path, { ...settings, defaultRoleId: theirRoles.body[0].id });
      expect([foreignRole.status, foreignRole.body?.error?.code]).toEqual([404, 'role_not_found']);
      const badMapping = await asAdmin('PUT', path, { ...settings, claimMapping: { password: 'x' } });
      expect(badMapping.status).toBe(400);
    });
  });
});
