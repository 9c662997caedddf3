import { Browser, fetchJsonWithBearer, sqlRows } from '@platform/testing';
import { IDENTITY_API, usePlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty } from './support/relying-party';
import { signIn } from './support/sign-in';
import { consoleApp, grantRole, IDENTITY_ADMIN_SCOPES } from './support/user-tokens';

const OPERATOR = 'root@operators.example';
const OPERATOR_PASSWORD = 'the first operator, temporary';
const OPERATOR_NEW_PASSWORD = 'the first operator, for good now';
const PASSWORD = 'a tenant admin with ambitions';

/**
 * Human platform administrators (issue 15): the operators' tenant (PLATFORM_OPERATORS_TENANT,
 * default `platform`) is bootstrapped with a built-in `platform-admin` role, the ONLY place the
 * reserved permission platform:admin can be held, and a first operator with a temporary password.
 * Walked as attackers would: a tenant admin elsewhere, and a helper the operators gave a tenant
 * role in their own tenant, try to reach or join it.
 */
describe('hostile: the operators tenant and its platform-admin role', () => {
  const platform = usePlatform('hostile_ops', {
    identity: { BOOTSTRAP_OPERATOR_EMAIL: OPERATOR, BOOTSTRAP_OPERATOR_PASSWORD: OPERATOR_PASSWORD },
  });
  let tenantA: string;
  let operatorsTenant: { id: string; slug: string };
  let platformAdminRole: { id: string; permissions: string[] };
  let mallory: { id: string };
  let consoleApp_: RelyingParty;

  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetchJsonWithBearer(`${platform.identityUrl}${path}`, token, method, body);
  const sql = (text: string, values: unknown[] = []) => sqlRows(platform.identityDb.url, text, values);
  /** The console's way in: hosted sign-in at a tenant, code + PKCE, a token for the identity API. */
  const consoleToken = async (tenant: string, login: string, password: string, newPassword?: string) => {
    const request = await authorizationRequest(
      consoleApp_,
      ['openid', ...IDENTITY_ADMIN_SCOPES, 'platform.admin'].join(' '),
      {
        resource: IDENTITY_API,
        tenant,
      },
    );
    const back = await signIn(new Browser(), request.url, REDIRECT, { login, password, newPassword });
    const token = (await redeem(consoleApp_, back.location!, request)).access_token as string;
    return { token, claims: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) };
  };

  beforeAll(async () => {
    tenantA = (await platform.createTenant('tenant-a')).id;
    mallory = await platform.createUser(tenantA, 'mallory@tenant-a.example', PASSWORD);
    await grantRole(platform, tenantA, mallory.id, 'tenant-admin');
    // A platform client like the admin console, allowed platform.admin (scope ∩ permission decides).
    consoleApp_ = await consoleApp(platform, undefined, ['platform.admin']);
  });

  it("bootstraps the operators' tenant; its built-in platform-admin role is the only role holding a reserved permission", async () => {
    const tenants = await platform.identityAdmin('GET', '/api/v1/tenants?limit=100');
    operatorsTenant = (tenants.body.items as { id: string; slug: string }[]).find((t) => t.slug === 'platform')!;
    expect(operatorsTenant).toBeDefined();
    const roles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${operatorsTenant.id}`);
    platformAdminRole = (roles.body as { id: string; name: string; permissions: string[] }[]).find(
      (r) => r.name === 'platform-admin',
    )!;
    expect(platformAdminRole?.permissions).toEqual(
      expect.arrayContaining(['platform:admin', 'authz-keys:write', 'authz-apis:write', 'users:write']),
    );
    const holders = await sql(
      `SELECT t.slug, r.name FROM roles r JOIN tenants t ON t.id = r.tenant_id
        WHERE EXISTS (SELECT 1 FROM unnest(r.permissions) p WHERE p LIKE 'platform:%' OR p LIKE 'authz-keys:%' OR p LIKE 'authz-apis:%')`,
    );
    expect(holders).toEqual([{ slug: 'platform', name: 'platform-admin' }]);
  });

  it('its first operator changes the temporary password at first sign-in and is a platform administrator', async () => {
    const { token, claims } = await consoleToken('platform', OPERATOR, OPERATOR_PASSWORD, OPERATOR_NEW_PASSWORD);
    expect(claims.tenant_id).toBe(operatorsTenant.id);
    expect(claims.permissions).toContain('platform:admin');
    // Every tenant, and tenant creation: platform-only powers.
    const tenants = await call(token, 'GET', '/api/v1/tenants?limit=100');
    expect(tenants.body.items.map((t: { slug: string }) => t.slug)).toEqual(
      expect.arrayContaining(['tenant-a', 'platform']),
    );
    expect((await call(token, 'POST', '/api/v1/tenants', { slug: 'made-by-operator', displayName: 'M' })).status).toBe(
      201,
    );
    expect((await call(token, 'GET', `/api/v1/users?tenantId=${tenantA}`)).status).toBe(200);
  });

  it("a tenant admin elsewhere cannot read, change or join the operators' tenant, nor take its role", async () => {
    const { token, claims } = await consoleToken('tenant-a', 'mallory@tenant-a.example', PASSWORD);
    expect(claims.permissions).not.toContain('platform:admin');
    const ops = operatorsTenant.id;
    const attempts = {
      read: (await call(token, 'GET', `/api/v1/tenants/${ops}`)).status,
      settings: (await call(token, 'PUT', `/api/v1/tenants/${ops}/settings`, { selfRegistration: true })).status,
      users: (await call(token, 'GET', `/api/v1/users?tenantId=${ops}`)).status,
      roles: (await call(token, 'GET', `/api/v1/roles?tenantId=${ops}`)).status,
      join: (
        await call(token, 'POST', '/api/v1/users', {
          tenantId: ops,
          email: 'mallory@operators.example',
          password: PASSWORD,
        })
      ).status,
      takeRole: (await call(token, 'POST', `/api/v1/users/${mallory.id}/roles`, { roleIds: [platformAdminRole.id] }))
        .status,
      widenRole: (
        await call(token, 'PATCH', `/api/v1/roles/${platformAdminRole.id}?tenantId=${ops}`, { permissions: [] })
      ).status,
    };
    expect(attempts).toEqual({
      read: 404,
      settings: 404,
      users: 404,
      roles: 404,
      join: 404,
      takeRole: 404,
      widenRole: 404,
    });
    // Still no reserved permission in a role of their own tenant, created or widened.
    const made = await call(token, 'POST', '/api/v1/roles', {
      name: 'platform-admin',
      permissions: ['platform:admin'],
    });
    expect([made.status, made.body?.error?.code]).toEqual([400, 'reserved_permission']);
    const harmless = await call(token, 'POST', '/api/v1/roles', {
      name: 'platform-admin',
      permissions: ['users:read'],
    });
    expect(harmless.status).toBe(201);
    const widened = await call(token, 'POST', `/api/v1/roles/${harmless.body.id}/permissions`, {
      add: ['platform:admin'],
    });
    expect(widened.status).toBe(400);
    // A role named like the operators' one in another tenant grants nothing.
    await call(token, 'POST', `/api/v1/users/${mallory.id}/roles`, { roleIds: [harmless.body.id] });
    expect((await consoleToken('tenant-a', 'mallory@tenant-a.example', PASSWORD)).claims.permissions).not.toContain(
      'platform:admin',
    );
  });

  it("a helper holding only a tenant role in the operators' tenant cannot give themself platform-admin", async () => {
    const helper = await platform.createUser(operatorsTenant.id, 'helper@operators.example', PASSWORD);
    await grantRole(platform, operatorsTenant.id, helper.id, 'tenant-admin');
    const { token, claims } = await consoleToken('platform', 'helper@operators.example', PASSWORD);
    expect(claims.permissions).not.toContain('platform:admin');
    const take = await call(token, 'POST', `/api/v1/users/${helper.id}/roles`, { roleIds: [platformAdminRole.id] });
    expect([take.status, take.body?.error?.code]).toEqual([403, 'platform_admin_required']);
    // Nor through a group that holds the role: group roles never carry the reserved permission.
    const group = await call(token, 'POST', '/api/v1/groups', { name: 'ops' });
    if (group.status === 201) {
      await call(token, 'POST', `/api/v1/groups/${group.body.id}/roles`, { roleIds: [platformAdminRole.id] });
      await call(token, 'POST', `/api/v1/groups/${group.body.id}/members`, { userIds: [helper.id] });
    }
    expect((await consoleToken('platform', 'helper@operators.example', PASSWORD)).claims.permissions).not.toContain(
      'platform:admin',
    );
    const roles = await call(token, 'GET', `/api/v1/users/${helper.id}/roles`);
    expect(roles.body.map((r: { name: string }) => r.name)).toEqual(['tenant-admin']);
  });
});
