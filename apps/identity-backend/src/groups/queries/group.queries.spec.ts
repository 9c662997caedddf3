import { IdentityErrorCode } from '../../common/identity-error';
import { errorCode } from '../../users/commands/commands.spec-helper';
import type { GroupsRepository } from '../groups.repository';
import { ChangeGroupMembersCommand, ChangeGroupRolesCommand } from '../commands/group.commands';
import { groupsWorld, T } from '../commands/groups.spec-helper';
import {
  GetGroupHandler,
  GetGroupQuery,
  GroupRolesHandler,
  GroupRolesQuery,
  ListGroupMembersHandler,
  ListGroupMembersQuery,
  ListSubgroupsHandler,
  ListSubgroupsQuery,
  UserGroupsHandler,
  UserGroupsQuery,
} from './group.queries';

describe('group queries', () => {
  const setUp = () => {
    const world = groupsWorld();
    const groups = world.repository as unknown as GroupsRepository;
    return {
      ...world,
      get: new GetGroupHandler(groups),
      members: new ListGroupMembersHandler(groups),
      subgroups: new ListSubgroupsHandler(groups),
      roles: new GroupRolesHandler(groups),
      ofUser: new UserGroupsHandler(groups, world.usersRepository),
    };
  };

  it("finds only the tenant's groups; another tenant's group is group_not_found", async () => {
    const { get } = setUp();
    await expect(get.execute(new GetGroupQuery(T, 'g-web'))).resolves.toMatchObject({ name: 'Web' });
    expect(await errorCode(get.execute(new GetGroupQuery(T, 'g-other')))).toBe(IdentityErrorCode.GroupNotFound);
  });

  it("reads members, subgroups and roles of the tenant's group only, never asking about another tenant's", async () => {
    const { members, subgroups, roles, repository, changeRoles } = setUp();
    const page = await members.execute(new ListGroupMembersQuery(T, 'g-eng', 10));
    expect(page.map((u) => u.id)).toEqual(['u-bob']);
    expect(repository.membersOf).toHaveBeenCalledWith(T, 'g-eng', 10, undefined);
    await expect(subgroups.execute(new ListSubgroupsQuery(T, 'g-eng'))).resolves.toEqual([
      expect.objectContaining({ id: 'g-web' }),
    ]);
    await changeRoles.execute(new ChangeGroupRolesCommand(T, 'g-web', ['r-dev'], [], null));
    await expect(roles.execute(new GroupRolesQuery(T, 'g-web'))).resolves.toEqual([
      expect.objectContaining({ id: 'r-dev' }),
    ]);

    for (const query of [
      members.execute(new ListGroupMembersQuery(T, 'g-other', 10)),
      subgroups.execute(new ListSubgroupsQuery(T, 'g-other')),
      roles.execute(new GroupRolesQuery(T, 'g-other')),
      members.execute(new ListGroupMembersQuery('tenant-b', 'g-eng', 10)),
    ]) {
      expect(await errorCode(query)).toBe(IdentityErrorCode.GroupNotFound);
    }
    expect(repository.membersOf).toHaveBeenCalledTimes(1);
  });

  it('pages members after a cursor', async () => {
    const { members, changeMembers } = setUp();
    await changeMembers.execute(new ChangeGroupMembersCommand(T, 'g-eng', ['u-ada'], [], null));
    expect((await members.execute(new ListGroupMembersQuery(T, 'g-eng', 1))).map((u) => u.id)).toEqual(['u-ada']);
    expect((await members.execute(new ListGroupMembersQuery(T, 'g-eng', 1, 'u-ada'))).map((u) => u.id)).toEqual([
      'u-bob',
    ]);
  });

  it("lists a user's groups; an unknown, another tenant's or an erased user is user_not_found", async () => {
    const { ofUser } = setUp();
    await expect(ofUser.execute(new UserGroupsQuery(T, 'u-bob'))).resolves.toEqual([
      expect.objectContaining({ id: 'g-eng' }),
    ]);
    await expect(ofUser.execute(new UserGroupsQuery(T, 'u-ada'))).resolves.toEqual([]);
    for (const [tenantId, userId] of [
      [T, 'u-ghost'],
      ['tenant-b', 'u-bob'],
      [T, 'u-erased'],
    ]) {
      expect(await errorCode(ofUser.execute(new UserGroupsQuery(tenantId!, userId!)))).toBe(
        IdentityErrorCode.UserNotFound,
      );
    }
  });
});
