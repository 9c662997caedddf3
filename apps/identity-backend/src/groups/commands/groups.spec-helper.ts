import type { DataSource, EntityManager } from 'typeorm';
import { tenantRows } from '../../common/testing/tenant-rows.spec-helper';
import type { EventRecorder } from '../../events/event-recorder';
import type { IdentityEvent } from '../../events/identity-events';
import type { Role } from '../../roles/role.entity';
import type { RolesRepository } from '../../roles/roles.repository';
import { aUser } from '../../users/commands/commands.spec-helper';
import type { UsersRepository } from '../../users/users.repository';
import type { Group } from '../group.entity';
import type { GroupsRepository } from '../groups.repository';
import * as group from './group.commands';

export const T = 'tenant-a';

/** One tenant's groups, memberships, role grants and nesting in memory, behind the repository's methods. */
export function groupsWorld() {
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
  // Still a row (GDPR erasure leaves one), but no longer anybody's member.
  const deletedUser = 'u-erased';
  users.add(deletedUser);
  const rows = tenantRows(groups, { newId: 'g-new', nameConstraint: 'UQ_groups_tenant_name' });
  const contains = (parent: string, child: string): boolean =>
    parent === child ||
    [...nesting].some((link) => link.startsWith(`${parent}>`) && contains(link.split('>')[1]!, child));
  const repository = {
    findById: rows.findById,
    findByIds: rows.findByIds,
    save: rows.save,
    delete: async (_m: EntityManager, group: Group) => void groups.delete(group.id),
    lockNesting: jest.fn(async () => undefined),
    usersOfTenant: async (_m: EntityManager, _t: string, ids: string[]) =>
      ids.filter((id) => users.has(id) && id !== deletedUser),
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
    // The reads of the group queries.
    list: async (tenantId: string) =>
      [...groups.values()].filter((g) => g.tenantId === tenantId).sort((a, b) => a.name.localeCompare(b.name)),
    membersOf: jest.fn(async (_t: string, groupId: string, limit: number, afterUserId?: string) =>
      [...users]
        .filter((id) => members.has(`${groupId}:${id}`) && (!afterUserId || id > afterUserId))
        .sort()
        .slice(0, limit)
        .map((id) => aUser({ id, tenantId: T })),
    ),
    subgroupsOf: async (_t: string, groupId: string) =>
      [...nesting].filter((link) => link.startsWith(`${groupId}>`)).map((link) => groups.get(link.split('>')[1]!)!),
    groupsOfUser: async (_t: string, userId: string) =>
      [...members].filter((m) => m.endsWith(`:${userId}`)).map((m) => groups.get(m.split(':')[0]!)!),
  };
  const usersRepository = {
    findById: async (tenantId: string, id: string) =>
      tenantId === T && users.has(id)
        ? aUser({ id, tenantId, status: id === deletedUser ? 'deleted' : 'active' })
        : null,
  } as unknown as UsersRepository;
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
    usersRepository,
    clashNames: rows.takeNames,
    create: new group.CreateGroupHandler(dataSource, repo, events),
    update: new group.UpdateGroupHandler(dataSource, repo, events),
    remove: new group.DeleteGroupHandler(dataSource, repo, events),
    changeMembers: new group.ChangeGroupMembersHandler(dataSource, repo, events),
    changeRoles: new group.ChangeGroupRolesHandler(
      dataSource,
      repo,
      rolesRepository as unknown as RolesRepository,
      events,
    ),
    changeSubgroups: new group.ChangeSubgroupsHandler(dataSource, repo, events),
  };
}
