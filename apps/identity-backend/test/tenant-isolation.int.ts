import { useIdentityApi, useTenant } from './identity-api.harness';

describe('tenant isolation', () => {
  const api = useIdentityApi('identity_isolation');
  const tenantA = useTenant(api, 'tenant-a');
  const tenantB = useTenant(api, 'tenant-b');
  let userA: { id: string };
  let roleA: { id: string };

  beforeAll(async () => {
    userA = (await api.call('POST', '/api/v1/users', tenantA.admin, { email: 'alice@a.example' })).body;
    roleA = (await api.call('POST', '/api/v1/roles', tenantA.admin, { name: 'a-role', permissions: ['users:read'] }))
      .body;
  });

  it.each([
    ['GET', () => `/api/v1/users/${userA.id}`],
    ['PUT', () => `/api/v1/users/${userA.id}/profile`],
    ['POST', () => `/api/v1/users/${userA.id}/lock`],
    ['POST', () => `/api/v1/users/${userA.id}/verify-email`],
    ['DELETE', () => `/api/v1/users/${userA.id}`],
    ['GET', () => `/api/v1/users/${userA.id}/roles`],
    ['GET', () => `/api/v1/users/${userA.id}/permissions`],
    ['GET', () => `/api/v1/roles/${roleA.id}`],
    ['PATCH', () => `/api/v1/roles/${roleA.id}`],
    ['DELETE', () => `/api/v1/roles/${roleA.id}`],
    ['GET', () => `/api/v1/roles/${roleA.id}/members`],
    ['GET', () => `/api/v1/tenants/${tenantA.id}`],
    ['PATCH', () => `/api/v1/tenants/${tenantA.id}`],
    ['GET', () => `/api/v1/tenants/${tenantA.id}/settings`],
  ])("tenant B's admin gets 404 for %s %s of tenant A", async (method, path) => {
    const res = await api.call(method, path(), tenantB.admin, method === 'GET' || method === 'DELETE' ? undefined : {});
    expect(res.status).toBe(404);
  });

  it("cannot assign tenant A's role to a tenant B user", async () => {
    const userB = (await api.call('POST', '/api/v1/users', tenantB.admin, { email: 'bob@b.example' })).body;
    const res = await api.call('POST', `/api/v1/users/${userB.id}/roles`, tenantB.admin, { roleIds: [roleA.id] });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('role_not_found');
  });

  it("does not list tenant A's users or roles to tenant B", async () => {
    const users = await api.call('GET', '/api/v1/users', tenantB.admin);
    expect(users.body.items.map((u: { email: string }) => u.email)).toEqual(['bob@b.example']);
    const roles = await api.call('GET', '/api/v1/roles', tenantB.admin);
    // Only B's built-in roles, none of A's.
    expect(roles.body.map((r: { name: string }) => r.name)).toEqual(['auditor', 'tenant-admin', 'user-manager']);
  });

  it('cannot create a user in another tenant by naming it', async () => {
    const res = await api.call('POST', '/api/v1/users', tenantB.admin, {
      email: 'intruder@a.example',
      tenantId: tenantA.id,
    });
    expect(res.status).toBe(404);
  });

  it('lets a platform administrator create a user in any tenant', async () => {
    const res = await api.call('POST', '/api/v1/users', api.platformAdminToken, {
      email: 'ops@a.example',
      tenantId: tenantA.id,
    });
    expect(res.status).toBe(201);
    expect(res.body.tenantId).toBe(tenantA.id);
  });

  it("does not let tenant B's admin reach tenant A by naming it in ?tenantId", async () => {
    for (const path of [`/api/v1/users/${userA.id}?tenantId=${tenantA.id}`, `/api/v1/users?tenantId=${tenantA.id}`]) {
      expect((await api.call('GET', path, tenantB.admin)).status).toBe(404);
    }
    const lock = await api.call('POST', `/api/v1/users/${userA.id}/lock?tenantId=${tenantA.id}`, tenantB.admin, {});
    expect(lock.status).toBe(404);
  });

  it("lets a platform administrator read, list and disable a tenant's users by naming the tenant", async () => {
    const admin = api.platformAdminToken;
    expect((await api.call('GET', `/api/v1/users/${userA.id}`, admin)).status).toBe(404);
    expect((await api.call('GET', `/api/v1/users/${userA.id}?tenantId=not-a-uuid`, admin)).status).toBe(404);
    const read = await api.call('GET', `/api/v1/users/${userA.id}?tenantId=${tenantA.id}`, admin);
    expect(read.body).toMatchObject({ id: userA.id, tenantId: tenantA.id });
    const listed = await api.call('GET', `/api/v1/users?tenantId=${tenantA.id}&email=alice`, admin);
    expect(listed.body.items.map((u: { id: string }) => u.id)).toEqual([userA.id]);
    const disabled = await api.call('POST', `/api/v1/users/${userA.id}/disable?tenantId=${tenantA.id}`, admin, {});
    expect(disabled.body.status).toBe('disabled');
  });

  it('pages every tenant to a platform administrator, after the cursor it hands out, each once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.call(
        'GET',
        `/api/v1/tenants?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        api.platformAdminToken,
      );
      expect(res.body.items).toHaveLength(1);
      seen.push(res.body.items[0].id);
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 20);
    expect(seen).toEqual(expect.arrayContaining([tenantA.id]));
    expect(new Set(seen).size).toBe(seen.length);
    // Anyone else sees their own tenant only.
    expect(
      (await api.call('GET', '/api/v1/tenants', tenantA.admin)).body.items.map((t: { id: string }) => t.id),
    ).toEqual([tenantA.id]);
  });

  it('keeps tenant creation for platform administrators', async () => {
    const res = await api.call('POST', '/api/v1/tenants', tenantA.admin, { slug: 'sneaky', displayName: 'Sneaky' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('platform_admin_required');
  });
});

describe('privilege escalation through roles', () => {
  const api = useIdentityApi('identity_escalation');

  it.each([
    ['platform:admin', 'reserved_permission'],
    ['platform:anything', 'reserved_permission'],
    ['authz-keys:write', 'reserved_permission'],
    ['authz-apis:read', 'reserved_permission'],
    ['users:*', 'validation_failed'],
  ])('refuses a tenant role granting %s (%s)', async (permission, code) => {
    const tenant = await api.createTenant(`esc-${permission.replace(/[^a-z]/g, '')}`);
    const token = await api.tenantAdminToken(tenant.id);
    const res = await api.call('POST', '/api/v1/roles', token, { name: 'sneaky', permissions: [permission] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    // Nor through an update of a harmless role.
    const role = await api.call('POST', '/api/v1/roles', token, { name: 'harmless', permissions: ['users:read'] });
    const update = await api.call('PATCH', `/api/v1/roles/${role.body.id}`, token, { permissions: [permission] });
    expect([update.status, update.body.error.code]).toEqual([400, code]);
  });
});
