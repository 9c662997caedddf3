import { IdentityErrorCode } from '../../common/identity-error';
import { aUser, errorCode } from '../../users/commands/commands.spec-helper';
import type { Role } from '../role.entity';
import type { RolesRepository } from '../roles.repository';
import {
  EffectivePermissionsHandler,
  EffectivePermissionsQuery,
  GetRoleHandler,
  GetRoleQuery,
  ListRoleMembersHandler,
  ListRoleMembersQuery,
} from './role.queries';

describe('role queries', () => {
  const T = 'tenant-a';
  const role = (id: string, tenantId: string, name: string, permissions: string[]) =>
    ({ id, tenantId, name, permissions, description: '' }) as Role;
  const catalogue = [
    role('r-ops', T, 'ops', ['deploy:run', 'logs:read']),
    role('r-audit', T, 'auditor', ['logs:read', 'audit:read']),
    role('r-theirs', 'tenant-b', 'ops', ['everything:write']),
  ];
  const setUp = () => {
    const ofTenant = (tenantId: string) => catalogue.filter((r) => r.tenantId === tenantId);
    const roles = {
      findById: async (tenantId: string, id: string) => ofTenant(tenantId).find((r) => r.id === id) ?? null,
      findByIds: async (tenantId: string, ids: string[]) => ofTenant(tenantId).filter((r) => ids.includes(r.id)),
      membersOf: jest.fn(async () => [aUser({ id: 'u-ops', tenantId: T })]),
      // What the one recursive query answers: the user's own role and one through a nested group.
      effectiveAuthority: jest.fn(async () => ({
        roles: [
          { id: 'r-ops', name: 'ops', permissions: ['deploy:run', 'logs:read'] },
          { id: 'r-audit', name: 'auditor', permissions: ['logs:read', 'audit:read'] },
        ],
        groups: ['Engineering', 'Platform'],
      })),
    };
    const repo = roles as unknown as RolesRepository;
    return {
      roles,
      get: new GetRoleHandler(repo),
      members: new ListRoleMembersHandler(repo),
      effective: new EffectivePermissionsHandler(repo),
    };
  };

  it("finds the tenant's roles only; another tenant's role is role_not_found", async () => {
    const { get } = setUp();
    await expect(get.execute(new GetRoleQuery(T, 'r-ops'))).resolves.toMatchObject({ name: 'ops' });
    expect(await errorCode(get.execute(new GetRoleQuery(T, 'r-theirs')))).toBe(IdentityErrorCode.RoleNotFound);
  });

  it("pages a role's members only once the role is found in the tenant", async () => {
    const { members, roles } = setUp();
    await expect(members.execute(new ListRoleMembersQuery(T, 'r-ops', 26, 'u-a'))).resolves.toHaveLength(1);
    expect(roles.membersOf).toHaveBeenCalledWith(T, 'r-ops', 26, 'u-a');
    expect(await errorCode(members.execute(new ListRoleMembersQuery(T, 'r-theirs', 26)))).toBe(
      IdentityErrorCode.RoleNotFound,
    );
    expect(roles.membersOf).toHaveBeenCalledTimes(1);
  });

  it('gives the effective roles sorted by name, each permission once and sorted, and the groups they came through', async () => {
    const { effective, roles } = setUp();
    const result = await effective.execute(new EffectivePermissionsQuery(T, 'u-ops'));
    expect(roles.effectiveAuthority).toHaveBeenCalledWith(T, 'u-ops');
    expect(result.roles.map((r) => r.name)).toEqual(['auditor', 'ops']);
    expect(result.roles[0]).toMatchObject({ description: '', tenantId: T });
    expect(result.permissions).toEqual(['audit:read', 'deploy:run', 'logs:read']);
    expect(result.groups).toEqual(['Engineering', 'Platform']);
  });
});
