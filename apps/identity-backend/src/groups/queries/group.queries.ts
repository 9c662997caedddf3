import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { Role } from '../../roles/role.entity';
import type { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import type { Group } from '../group.entity';
import { GroupsRepository } from '../groups.repository';

async function assertGroup(groups: GroupsRepository, tenantId: string, groupId: string): Promise<Group> {
  const group = await groups.findById(tenantId, groupId);
  if (!group) throw new IdentityError(IdentityErrorCode.GroupNotFound, 'Group not found');
  return group;
}

/** A question about one of the tenant's groups. */
abstract class GroupQuery<T> extends Query<T> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
  ) {
    super();
  }
}

export class GetGroupQuery extends GroupQuery<Group> {}

@QueryHandler(GetGroupQuery)
export class GetGroupHandler implements IQueryHandler<GetGroupQuery> {
  constructor(private readonly groups: GroupsRepository) {}

  execute({ tenantId, groupId }: GetGroupQuery): Promise<Group> {
    return assertGroup(this.groups, tenantId, groupId);
  }
}

export class ListGroupMembersQuery extends Query<User[]> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
    readonly limit: number,
    readonly afterUserId?: string,
  ) {
    super();
  }
}

/** The users directly in the group, ordered by id (keyset pagination). */
@QueryHandler(ListGroupMembersQuery)
export class ListGroupMembersHandler implements IQueryHandler<ListGroupMembersQuery> {
  constructor(private readonly groups: GroupsRepository) {}

  async execute({ tenantId, groupId, limit, afterUserId }: ListGroupMembersQuery): Promise<User[]> {
    await assertGroup(this.groups, tenantId, groupId);
    return this.groups.membersOf(tenantId, groupId, limit, afterUserId);
  }
}

export class ListSubgroupsQuery extends GroupQuery<Group[]> {}

@QueryHandler(ListSubgroupsQuery)
export class ListSubgroupsHandler implements IQueryHandler<ListSubgroupsQuery> {
  constructor(private readonly groups: GroupsRepository) {}

  async execute({ tenantId, groupId }: ListSubgroupsQuery): Promise<Group[]> {
    await assertGroup(this.groups, tenantId, groupId);
    return this.groups.subgroupsOf(tenantId, groupId);
  }
}

export class GroupRolesQuery extends GroupQuery<Role[]> {}

@QueryHandler(GroupRolesQuery)
export class GroupRolesHandler implements IQueryHandler<GroupRolesQuery> {
  constructor(private readonly groups: GroupsRepository) {}

  async execute({ tenantId, groupId }: GroupRolesQuery): Promise<Role[]> {
    await assertGroup(this.groups, tenantId, groupId);
    return this.groups.rolesOf(tenantId, groupId);
  }
}

export class UserGroupsQuery extends Query<Group[]> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** The groups a user is directly in. */
@QueryHandler(UserGroupsQuery)
export class UserGroupsHandler implements IQueryHandler<UserGroupsQuery> {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly users: UsersRepository,
  ) {}

  async execute({ tenantId, userId }: UserGroupsQuery): Promise<Group[]> {
    const user = await this.users.findById(tenantId, userId);
    if (!user || user.status === 'deleted') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    return this.groups.groupsOfUser(tenantId, userId);
  }
}
