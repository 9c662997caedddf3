import { Client as PgClient } from 'pg';
import { useIdentityApi, useTenant } from './identity-api.harness';

/** Issue 16, groups, at the backend: the claims path, nesting edge cases, concurrency, JIT default role. */
describe('groups in the identity backend', () => {
  const api = useIdentityApi('identity_groups');
  const tenant = useTenant(api, 'grouped');

  const as = (method: string, path: string, body?: unknown) => api.call(method, path, tenant.admin, body);
  const created = async (path: string, body: unknown): Promise<{ id: string }> => {
    const res = await as('POST', path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const user = (email: string) => created('/api/v1/users', { email, password: 'a long enough password' });
  const claims = (userId: string) =>
    api.call('GET', `/internal/v1/users/${userId}/claims?scope=openid`, api.internalToken);

  it('claims of a user deep in nested groups cost one query: the user with their roles and groups', async () => {
    const role = await created('/api/v1/roles', { name: 'top-role', permissions: ['audit:read'] });
    const chain: { id: string }[] = [];
    for (let depth = 0; depth < 6; depth++) chain.push(await created('/api/v1/groups', { name: `level-${depth}` }));
    for (let depth = 1; depth < chain.length; depth++) {
      expect(
        (await as('POST', `/api/v1/groups/${chain[depth - 1].id}/groups`, { groupIds: [chain[depth].id] })).status,
      ).toBe(204);
    }
    expect((await as('POST', `/api/v1/groups/${chain[0].id}/roles`, { roleIds: [role.id] })).status).toBe(200);
    const deep = await user('deep@grouped.example');
    expect((await as('POST', `/api/v1/groups/${chain[5].id}/members`, { userIds: [deep.id] })).status).toBe(204);

    // Counts the statements the service sends to Postgres while it answers one claims request.
    const prototype = PgClient.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = prototype.query;
    const statements: string[] = [];
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      statements.push(String(text));
      return original.apply(this, args);
    };
    let res;
    try {
      res = await claims(deep.id);
    } finally {
      prototype.query = original;
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roles: ['top-role'], permissions: ['audit:read'] });
    expect(res.body.groups.sort()).toEqual(chain.map((_, depth) => `level-${depth}`));
    // Background loops (outbox relay, housekeeping) share the process: count what reads the directory.
    const directory = statements.filter(
      (text) => /"users"|\broles\b|group_members/.test(text) && !/outbox/i.test(text),
    );
    expect({ count: directory.length, directory }).toMatchObject({ count: 1 });
  });

  it('a cycle written past the API, straight into the database, does not hang the claims query', async () => {
    const [a, b] = [
      await created('/api/v1/groups', { name: 'loop-a' }),
      await created('/api/v1/groups', { name: 'loop-b' }),
    ];
    await api.sql(
      `INSERT INTO group_subgroups (parent_group_id, child_group_id, tenant_id) VALUES ($1, $2, $3), ($2, $1, $3)`,
      [a.id, b.id, tenant.id],
    );
    const looped = await user('looped@grouped.example');
    await as('POST', `/api/v1/groups/${a.id}/members`, { userIds: [looped.id] });
    const res = await claims(looped.id);
    expect([res.status, res.body.groups.sort()]).toEqual([200, ['loop-a', 'loop-b']]);
  });

  it('two concurrent nestings A in B and B in A: exactly one wins, the other is a cycle', async () => {
    for (let round = 0; round < 3; round++) {
      const a = await created('/api/v1/groups', { name: `race-a-${round}` });
      const b = await created('/api/v1/groups', { name: `race-b-${round}` });
      const results = await Promise.all([
        as('POST', `/api/v1/groups/${a.id}/groups`, { groupIds: [b.id] }),
        as('POST', `/api/v1/groups/${b.id}/groups`, { groupIds: [a.id] }),
      ]);
      expect(results.map((r) => [r.status, r.body?.error?.code ?? null]).sort()).toEqual([
        [204, null],
        [400, 'group_cycle'],
      ]);
    }
  });

  it('a role that a group holds cannot be deleted (409 role_in_use), and the group is refused a reserved one', async () => {
    const role = await created('/api/v1/roles', { name: 'held-by-group', permissions: ['users:read'] });
    const group = await created('/api/v1/groups', { name: 'holder' });
    await as('POST', `/api/v1/groups/${group.id}/roles`, { roleIds: [role.id] });
    const refused = await as('DELETE', `/api/v1/roles/${role.id}`);
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([
      409,
      'role_in_use',
      { members: 0, groups: 1 },
    ]);

    const [legacy] = await api.sql(
      `INSERT INTO roles (tenant_id, name, description, permissions) VALUES ($1, 'legacy-op', '', $2) RETURNING id`,
      [tenant.id, ['platform:admin']],
    );
    const assign = await as('POST', `/api/v1/groups/${group.id}/roles`, { roleIds: [legacy.id] });
    expect([assign.status, assign.body.error.code]).toEqual([400, 'reserved_permission']);
    const federationRole = await as('GET', `/api/v1/groups/${group.id}/roles`);
    expect(federationRole.body.map((r: { name: string }) => r.name)).toEqual(['held-by-group']);
  });

  it("lists the tenant's groups by name, never another tenant's", async () => {
    const other = await api.createTenant('grouped-other');
    const otherAdmin = await api.tenantAdminToken(other.id);
    await api.call('POST', '/api/v1/groups', otherAdmin, { name: 'theirs' });
    const names = (await as('GET', '/api/v1/groups')).body.map((g: { name: string }) => g.name);
    expect(names).toContain('level-0');
    expect(names).not.toContain('theirs');
    const theirs = await api.call('GET', '/api/v1/groups', otherAdmin);
    expect(theirs.body.map((g: { name: string }) => g.name)).toEqual(['theirs']);
  });

  it("gives users an IdP provisions just in time the IdP's default role (federation settings)", async () => {
    const role = await created('/api/v1/roles', { name: 'partner', permissions: ['users:read'] });
    const idp = await created('/api/v1/idps', {
      slug: 'partners',
      displayName: 'Partners',
      issuer: 'https://sso.partner.example',
      clientId: 'rp',
    });
    const put = await as('PUT', `/api/v1/idps/${idp.id}/federation`, {
      jitProvisioning: true,
      autoLinkVerifiedEmail: false,
      claimMapping: {},
      defaultRoleId: role.id,
    });
    expect(put.status).toBe(200);
    const resolved = await api.call('POST', '/internal/v1/external-identities/resolve', api.internalToken, {
      tenantId: tenant.id,
      providerId: idp.id,
      subject: 'partner-sub',
      claims: { email: 'pat@partner.example', email_verified: true },
    });
    expect(resolved.body.outcome).toBe('provisioned');
    const roles = await as('GET', `/api/v1/users/${resolved.body.userId}/roles`);
    expect(roles.body.map((r: { name: string }) => r.name)).toEqual(['partner']);

    // A reserved role cannot become the default.
    const [legacy] = await api.sql(
      `INSERT INTO roles (tenant_id, name, description, permissions) VALUES ($1, 'legacy-keys', '', $2) RETURNING id`,
      [tenant.id, ['authz-keys:write']],
    );
    const reserved = await as('PUT', `/api/v1/idps/${idp.id}/federation`, {
      jitProvisioning: true,
      autoLinkVerifiedEmail: false,
      claimMapping: {},
      defaultRoleId: legacy.id,
    });
    expect([reserved.status, reserved.body.error.code]).toEqual([400, 'reserved_permission']);
  });
});
