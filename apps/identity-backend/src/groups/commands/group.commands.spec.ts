import { uniqueViolation } from '@platform/database';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../../events/identity-events';
import type { Role } from '../../roles/role.entity';
import type { RolesRepository } from '../../roles/roles.repository';
import type { Group } from '../group.entity';
import type { GroupsRepository } from '../groups.repository';
import {
  ChangeGroupMembersCommand,
  ChangeGroupMembersHandler,
  ChangeGroupRolesCommand,
  ChangeGroupRolesHandler,
  ChangeSubgroupsCommand,
  ChangeSubgroupsHandler,
  CreateGroupCommand,
  CreateGroupHandler,
  DeleteGroupCommand,
  DeleteGroupHandler,
  UpdateGroupCommand,
  UpdateGroupHandler,
} from './group.commands';

const T = 'tenant-a';

/** One tenant's groups, memberships, role grants and nesting in memory, behind the repository's methods. */
function groupsWorld() {
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
  } as unknown as DataSource;
  const groups = new Map<string, Group>([
    ['g-eng', { id: 'g-eng', tenantId: T, name: 'Engineering', description: '' } as Group],
    ['g-web', { id: 'g-web', tenantId: T, name: 'Web', description: '' } as Group],
    ['g-other', { id: 'g-other', tenantId: 'tenant-b', name: 'Theirs', description: '' } as Group],
  ]);
  const users = new Set(['u-ada', 'u-bob']);
  const members = new Set<string>(['g-eng:u-bob']);
  const roleGrants = new Set<string>();
  const nesting = new Set<string>(['g-eng>g-web']);
  const roles: Role[] = [
    { id: 'r-dev', tenantId: T, name: 'developer', permissions: ['repos:write'] } as Role,
    { id: 'r-old', tenantId: T, name: 'legacy-operator', permissions: ['platform:admin'] } as Role,
  ];
  let nameClash = false;
  const inTenant = (tenantId: string, id: string) => {
    const group = groups.get(id);
    return group && group.tenantId === tenantId ? group : null;
  };
  const contains = (parent: string, child: string): boolean =>
    parent === child ||
    [...nesting].some((link) => link.startsWith(`${parent}>`) && contains(link.split('>')[1]!, child));
  const repository = {
    findById: async (tenantId: string, id: string) => inTenant(tenantId, id),
    findByIds: async (tenantId: string, ids: string[]) => ids.map((id) => inTenant(tenantId, id)).filter(Boolean),
    save: async (_m: EntityManager, group: Group) => {
      if (nameClash) {
        throw uniqueViolation('UQ_groups_tenant_name');
      }
      const saved = Object.assign(group, { id: group.id ?? 'g-new' });
      groups.set(saved.id, saved);
      return saved;
    },
    delete: async (_m: EntityManager, group: Group) => void groups.delete(group.id),
    lockNesting: jest.fn(async () => undefined),
    usersOfTenant: async (_m: EntityManager, _t: string, ids: string[]) => ids.filter((id) => users.has(id)),
    memberIds: async (_m: EntityManager, groupId: string, ids: string[]) =>
      ids.filter((id) => members.has(`${groupId}:${id}`)),
    addMembers: async (_m: EntityManager, group: Group, ids: string[]) =>
      ids.forEach((id) => members.add(`${group.id}:${id}`)),
    removeMember: async (_m: EntityManager, group: Group, id: string) => members.delete(`${group.id}:${id}`),
    rolesOf: async (_t: string, groupId: string) => roles.filter((r) => roleGrants.has(`${groupId}:${r.id}`)),
    addRoles: async (_m: EntityManager, group: Group, ids: string[]) =>
      ids.forEach((id) => roleGrants.add(`${group.id}:${id}`)),
    removeRole: async (_m: EntityManager, group: Group, id: string) => roleGrants.delete(`${group.id}:${id}`),
    cycleClosers: async (_m: EntityManager, parentId: string, childIds: string[]) =>
      childIds.filter((child) => contains(child, parentId)),
    addSubgroups: async (_m: EntityManager, group: Group, ids: string[]) => {
      const added = ids.filter((id) => !nesting.has(`${group.id}>${id}`));
      added.forEach((id) => nesting.add(`${group.id}>${id}`));
      return added;
    },
    removeSubgroup: async (_m: EntityManager, group: Group, id: string) => nesting.delete(`${group.id}>${id}`),
  };
  const rolesRepository = { findByIds: async (_t: string, ids: string[]) => roles.filter((r) => ids.includes(r.id)) };
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
  const repo = repository as unknown as GroupsRepository;
  return {
    groups,
    members,
    roleGrants,
    nesting,
    recorded,
    repository,
    clashNames: () => (nameClash = true),
    create: new CreateGroupHandler(dataSource, repo, events),
    update: new UpdateGroupHandler(dataSource, repo, events),
    remove: new DeleteGroupHandler(dataSource, repo, events),
    changeMembers: new ChangeGroupMembersHandler(dataSource, repo, events),
    changeRoles: new ChangeGroupRolesHandler(dataSource, repo, rolesRepository as unknown as RolesRepository, events),
    changeSubgroups: new ChangeSubgroupsHandler(dataSource, repo, events),
  };
}

const code = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string }) => error.code ?? String(error),
  );

describe('group commands', () => {
  it('creates a group and announces it; a taken name is group_name_taken', async () => {
    const world = groupsWorld();
    await expect(world.create.execute(new CreateGroupCommand(T, 'Design', 'UX', 'admin'))).resolves.toMatchObject({
      name: 'Design',
      tenantId: T,
    });
    expect(world.recorded).toEqual([
      expect.objectContaining({ type: EventTypes.groupCreated, data: expect.objectContaining({ name: 'Design' }) }),
    ]);
    world.clashNames();
    expect(await code(world.create.execute(new CreateGroupCommand(T, 'Web', '', 'admin')))).toBe(
      IdentityErrorCode.GroupNameTaken,
    );
  });

  it('updates only what changed, and announces nothing when nothing did', async () => {
    const world = groupsWorld();
    await world.update.execute(
      new UpdateGroupCommand(T, 'g-eng', { name: 'Engineering', description: 'Builders' }, null),
    );
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupUpdated,
        data: { groupId: 'g-eng', changed: ['description'], actor: null },
      }),
    ]);
    await world.update.execute(new UpdateGroupCommand(T, 'g-eng', { description: 'Builders' }, null));
    expect(world.recorded).toHaveLength(1);
  });

  it("deletes under the nesting lock; another tenant's group is not found", async () => {
    const world = groupsWorld();
    await world.remove.execute(new DeleteGroupCommand(T, 'g-web', 'admin'));
    expect(world.groups.has('g-web')).toBe(false);
    expect(world.repository.lockNesting).toHaveBeenCalledWith(expect.anything(), T);
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.groupDeleted]);
    expect(await code(world.remove.execute(new DeleteGroupCommand(T, 'g-other', 'admin')))).toBe(
      IdentityErrorCode.GroupNotFound,
    );
  });

  it('adds new members and removes present ones, one event for the real change, none for a no-op', async () => {
    const world = groupsWorld();
    await world.changeMembers.execute(
      new ChangeGroupMembersCommand(T, 'g-eng', ['u-ada', 'u-bob'], ['u-nobody'], 'admin'),
    );
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupMembersChanged,
        data: { groupId: 'g-eng', added: ['u-ada'], removed: [], actor: 'admin' },
      }),
    ]);
    await world.changeMembers.execute(new ChangeGroupMembersCommand(T, 'g-eng', ['u-ada'], [], 'admin'));
    expect(world.recorded).toHaveLength(1);
    await expect(
      world.changeMembers.execute(new ChangeGroupMembersCommand(T, 'g-eng', ['u-ghost'], [], 'admin')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.UserNotFound, details: { userIds: ['u-ghost'] } });
  });

  it("grants the tenant's roles, never an unknown one or one holding reserved platform permissions", async () => {
    const world = groupsWorld();
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-dev'], [], 'admin')),
    ).resolves.toEqual([expect.objectContaining({ id: 'r-dev' })]);
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-gone'], [], 'admin')),
    ).rejects.toMatchObject({ code: IdentityErrorCode.RoleNotFound, details: { roleIds: ['r-gone'] } });
    expect(await code(world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', ['r-old'], [], 'admin')))).toBe(
      IdentityErrorCode.ReservedPermission,
    );
    await expect(
      world.changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-eng', [], ['r-dev'], 'admin')),
    ).resolves.toEqual([]);
    expect(world.recorded.map((e) => e.data)).toEqual([
      { groupId: 'g-eng', added: ['r-dev'], removed: [], actor: 'admin' },
      { groupId: 'g-eng', added: [], removed: ['r-dev'], actor: 'admin' },
    ]);
  });

  it('nests groups under the nesting lock and refuses a cycle at any depth', async () => {
    const world = groupsWorld();
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-web', ['g-eng'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupCycle);
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', ['g-eng'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupCycle);
    expect(
      await code(world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', ['g-other'], [], 'admin'))),
    ).toBe(IdentityErrorCode.GroupNotFound);
    await world.changeSubgroups.execute(new ChangeSubgroupsCommand(T, 'g-eng', [], ['g-web'], 'admin'));
    expect(world.nesting.size).toBe(0);
    expect(world.recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.groupSubgroupsChanged,
        data: { groupId: 'g-eng', added: [], removed: ['g-web'], actor: 'admin' },
      }),
    ]);
    expect(world.repository.lockNesting).toHaveBeenCalled();
  });
});
