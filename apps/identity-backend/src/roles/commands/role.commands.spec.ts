import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import { tenantRows } from '../../common/testing/tenant-rows.spec-helper';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../../events/identity-events';
import type { GroupsRepository } from '../../groups/groups.repository';
import type { OperatorsTenant } from '../../tenants/operators-tenant';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { Role } from '../role.entity';
import type { RolesRepository } from '../roles.repository';
import {
  ChangeRolePermissionsCommand,
  ChangeRolePermissionsHandler,
  ChangeUserRolesCommand,
  ChangeUserRolesHandler,
  CreateRoleCommand,
  CreateRoleHandler,
  DeleteRoleCommand,
  DeleteRoleHandler,
  UpdateRoleCommand,
  UpdateRoleHandler,
} from './role.commands';

const T = 'tenant-a';

/** One tenant's roles and user assignments in memory, behind the repositories' methods the handlers call. */
function rolesWorld() {
  const roles = new Map<string, Role>([
    ['r-dev', { id: 'r-dev', tenantId: T, name: 'developer', description: '', permissions: ['repos:read'] } as Role],
    ['r-ops', { id: 'r-ops', tenantId: T, name: 'ops', description: '', permissions: ['deploy:run'] } as Role],
  ]);
  const assignments = new Set<string>(['u-ada:r-ops']);
  const groupGrants = new Map<string, number>();
  const transactions: number[] = [];
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => {
      transactions.push(1);
      return work(manager);
    },
  } as unknown as DataSource;
  const rows = tenantRows(roles, { newId: 'r-new', nameConstraint: 'UQ_roles_tenant_name' });
  const rolesOfUser = async (_t: string, userId: string) =>
    [...roles.values()].filter((role) => assignments.has(`${userId}:${role.id}`));
  const rolesRepository = {
    findById: rows.findById,
    findByIdForUpdate: rows.findById,
    findByIds: rows.findByIds,
    rolesOfUser,
    countMembers: async (roleId: string) => [...assignments].filter((a) => a.endsWith(`:${roleId}`)).length,
    delete: async (m: EntityManager, role: Role) => {
      if (m !== manager) throw new Error('deleted outside the transaction');
      roles.delete(role.id);
    },
    assign: async (m: EntityManager, tenantId: string, userId: string, ids: string[]) => {
      if (m !== manager || tenantId !== T) throw new Error('assigned outside the transaction or the tenant');
      ids.forEach((id) => assignments.add(`${userId}:${id}`));
    },
    unassign: async (m: EntityManager, tenantId: string, userId: string, ids: string[]) => {
      if (m !== manager || tenantId !== T) throw new Error('unassigned outside the transaction or the tenant');
      ids.forEach((id) => assignments.delete(`${userId}:${id}`));
    },
    save: rows.save,
  } as unknown as RolesRepository;
  const groups = { countGroupsHolding: async (_m: EntityManager, roleId: string) => groupGrants.get(roleId) ?? 0 };
  const users = {
    findById: async (tenantId: string, id: string) =>
      tenantId === T && id === 'u-ada' ? ({ id: 'u-ada', tenantId: T, status: 'active' } as User) : null,
  } as unknown as UsersRepository;
  const operators = { ordinaryRoles: async (found: Role[]) => found } as unknown as OperatorsTenant;
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
  return {
    roles,
    assignments,
    recorded,
    transactions,
    grantToGroup: (roleId: string) => groupGrants.set(roleId, 1),
    takeNames: rows.takeNames,
    create: new CreateRoleHandler(dataSource, rolesRepository, events),
    update: new UpdateRoleHandler(dataSource, rolesRepository, events),
    permissions: new ChangeRolePermissionsHandler(dataSource, rolesRepository, events),
    remove: new DeleteRoleHandler(dataSource, rolesRepository, groups as unknown as GroupsRepository, events),
    userRoles: new ChangeUserRolesHandler(dataSource, users, rolesRepository, events, operators),
  };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('role commands', () => {
  it('creates a role and announces it; reserved platform permissions are refused before any write', async () => {
    const world = rolesWorld();
    await expect(
      world.create.execute(new CreateRoleCommand(T, 'auditor', 'Reads', ['audit:read'])),
    ).resolves.toMatchObject({ name: 'auditor', tenantId: T });
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.roleCreated]);
    expect(await code(world.create.execute(new CreateRoleCommand(T, 'root', '', ['platform:admin'])))).toBe(
      IdentityErrorCode.ReservedPermission,
    );
    expect(world.transactions).toHaveLength(1);
    world.takeNames();
    expect(await code(world.create.execute(new CreateRoleCommand(T, 'developer', '', [])))).toBe(
      IdentityErrorCode.RoleNameTaken,
    );
  });

  it("updates a role of the tenant, not another tenant's", async () => {
    const world = rolesWorld();
    await expect(
      world.update.execute(new UpdateRoleCommand(T, 'r-dev', { permissions: ['repos:read', 'repos:write'] })),
    ).resolves.toMatchObject({ permissions: ['repos:read', 'repos:write'] });
    expect(await code(world.update.execute(new UpdateRoleCommand('tenant-b', 'r-dev', { description: 'x' })))).toBe(
      IdentityErrorCode.RoleNotFound,
    );
  });

  it('adds and removes permissions as a sorted set, announcing only a real change', async () => {
    const world = rolesWorld();
    await expect(
      world.permissions.execute(new ChangeRolePermissionsCommand(T, 'r-dev', ['repos:write', 'repos:read'], [])),
    ).resolves.toMatchObject({ permissions: ['repos:read', 'repos:write'] });
    await world.permissions.execute(new ChangeRolePermissionsCommand(T, 'r-dev', ['repos:read'], ['nothing:here']));
    await expect(
      world.permissions.execute(new ChangeRolePermissionsCommand(T, 'r-dev', [], ['repos:read'])),
    ).resolves.toMatchObject({ permissions: ['repos:write'] });
    expect(world.recorded.map((e) => e.data.permissions)).toEqual([['repos:read', 'repos:write'], ['repos:write']]);
  });

  it('deletes only a role nobody holds, neither a user nor a group', async () => {
    const world = rolesWorld();
    await expect(world.remove.execute(new DeleteRoleCommand(T, 'r-ops'))).rejects.toMatchObject({
      code: IdentityErrorCode.RoleInUse,
      details: { members: 1, groups: 0 },
    });
    world.grantToGroup('r-dev');
    expect(await code(world.remove.execute(new DeleteRoleCommand(T, 'r-dev')))).toBe(IdentityErrorCode.RoleInUse);
    world.assignments.clear();
    await world.remove.execute(new DeleteRoleCommand(T, 'r-ops'));
    expect(world.roles.has('r-ops')).toBe(false);
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.roleDeleted]);
  });

  it("changes a user's roles: only real additions and removals count, an unknown role is named", async () => {
    const world = rolesWorld();
    const after = await world.userRoles.execute(
      new ChangeUserRolesCommand(T, 'u-ada', ['r-dev', 'r-ops'], [], 'admin'),
    );
    expect(after.map((r) => r.id).sort()).toEqual(['r-dev', 'r-ops']);
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userRolesChanged,
        data: { userId: 'u-ada', added: ['r-dev'], removed: [], actor: 'admin' },
      }),
    ]);
    await world.userRoles.execute(new ChangeUserRolesCommand(T, 'u-ada', [], ['r-ops'], 'admin'));
    expect(world.assignments).toEqual(new Set(['u-ada:r-dev']));
    await expect(
      world.userRoles.execute(new ChangeUserRolesCommand(T, 'u-ada', ['r-gone'], [], 'admin')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.RoleNotFound, details: { roleIds: ['r-gone'] } });
    expect(await code(world.userRoles.execute(new ChangeUserRolesCommand(T, 'u-bob', ['r-dev'], [], 'admin')))).toBe(
      IdentityErrorCode.UserNotFound,
    );
  });
});
