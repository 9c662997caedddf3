import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, ScopedTenant } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { BearerRefusals, Refusal } from '../common/api-responses';
import { TenantScopedApi } from '../common/tenant-scoped-api';
import { PageQueryDto, type Page, readPageById } from '../common/page';
import { AssignRolesDto, RoleView } from '../roles/dto/role.dto';
import { UserView } from '../users/dto/user.dto';
import {
  ChangeGroupMembersCommand,
  ChangeGroupRolesCommand,
  ChangeSubgroupsCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  UpdateGroupCommand,
} from './commands/group.commands';
import { AddGroupMembersDto, AddSubgroupsDto, CreateGroupDto, GroupView, UpdateGroupDto } from './dto/group.dto';
import {
  GetGroupQuery,
  GroupRolesQuery,
  ListGroupMembersQuery,
  ListSubgroupsQuery,
  UserGroupsQuery,
} from './queries/group.queries';
import { GroupsRepository } from './groups.repository';

const GROUP_NOT_FOUND = { status: 404, description: '`group_not_found`: no such group in this tenant' } as const;

/**
 * Groups: their members hold the group's roles, as do the members of groups inside them. Granting
 * a group a role, or a user membership of one, hands out roles: it takes `roles:write` (the
 * permission that assigns roles to users), reading takes `roles:read`.
 */
@TenantScopedApi('groups')
@BearerRefusals()
@Controller('api/v1')
export class GroupsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly groups: GroupsRepository,
  ) {}

  @Post('groups')
  @Authorize(Access.rolesWrite)
  @CreatedRoute('Create a group', { type: GroupView })
  @ApiResponse(Refusal.validationFailed)
  @ApiResponse({ status: 409, description: '`group_name_taken`' })
  async create(
    @Body() dto: CreateGroupDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<GroupView> {
    return GroupView.of(
      await this.commands.execute(new CreateGroupCommand(tenantId, dto.name, dto.description ?? '', principal.subject)),
    );
  }

  @Get('groups')
  @Authorize(Access.rolesRead)
  @OkRoute("List the tenant's groups, by name", { type: [GroupView] })
  async list(@ScopedTenant() tenantId: string): Promise<GroupView[]> {
    return (await this.groups.list(tenantId)).map(GroupView.of);
  }

  @Get('groups/:id')
  @Authorize(Access.rolesRead)
  @OkRoute('Read a group', { type: GroupView })
  @ApiResponse(GROUP_NOT_FOUND)
  async get(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<GroupView> {
    return GroupView.of(await this.queries.execute(new GetGroupQuery(tenantId, id)));
  }

  @Patch('groups/:id')
  @Authorize(Access.rolesWrite)
  @OkRoute('Rename a group or change its description', { type: GroupView })
  @ApiResponse(Refusal.validationFailed)
  @ApiResponse(GROUP_NOT_FOUND)
  @ApiResponse({ status: 409, description: '`group_name_taken`' })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateGroupDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<GroupView> {
    return GroupView.of(await this.commands.execute(new UpdateGroupCommand(tenantId, id, dto, principal.subject)));
  }

  @Delete('groups/:id')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Delete a group: its members lose its roles, groups inside it are kept')
  @ApiResponse(GROUP_NOT_FOUND)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new DeleteGroupCommand(tenantId, id, principal.subject));
  }

  @Get('groups/:id/members')
  @Authorize(Access.rolesRead)
  @OkRoute('The users directly in a group, a page at a time (pass nextCursor back as cursor)', {
    description: '{ items: User[], nextCursor: string | null }',
  })
  @ApiResponse(GROUP_NOT_FOUND)
  @ApiResponse({ status: 400, description: '`invalid_cursor`, `validation_failed`' })
  async members(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() page: PageQueryDto,
    @ScopedTenant() tenantId: string,
  ): Promise<Page<UserView>> {
    return readPageById(
      page,
      (limit, afterId) => this.queries.execute(new ListGroupMembersQuery(tenantId, id, limit, afterId)),
      UserView.of,
    );
  }

  @Post('groups/:id/members')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Add users to a group (already members are left as they are)')
  @ApiResponse(Refusal.validationFailed)
  @ApiResponse({ status: 404, description: '`group_not_found`; `user_not_found` (details.userIds)' })
  async addMembers(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddGroupMembersDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new ChangeGroupMembersCommand(tenantId, id, dto.userIds, [], principal.subject));
  }

  @Delete('groups/:id/members/:userId')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Remove a user from a group (idempotent)')
  @ApiResponse(GROUP_NOT_FOUND)
  async removeMember(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new ChangeGroupMembersCommand(tenantId, id, [], [userId], principal.subject));
  }

  @Get('groups/:id/groups')
  @Authorize(Access.rolesRead)
  @OkRoute('The groups directly inside a group', { type: [GroupView] })
  @ApiResponse(GROUP_NOT_FOUND)
  async subgroups(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<GroupView[]> {
    return (await this.queries.execute(new ListSubgroupsQuery(tenantId, id))).map(GroupView.of);
  }

  @Post('groups/:id/groups')
  @Authorize(Access.rolesWrite)
  @NoContentRoute("Put groups inside a group: their members get this group's roles too")
  @ApiResponse({
    status: 400,
    description:
      '`group_cycle` (details.groupIds): the group itself, or one that already contains it; `validation_failed`',
  })
  @ApiResponse({ status: 404, description: '`group_not_found` (details.groupIds for the ones to add)' })
  async addSubgroups(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AddSubgroupsDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new ChangeSubgroupsCommand(tenantId, id, dto.groupIds, [], principal.subject));
  }

  @Delete('groups/:id/groups/:childId')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Take a group out of a group (idempotent)')
  @ApiResponse(GROUP_NOT_FOUND)
  async removeSubgroup(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('childId', ParseUUIDPipe) childId: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new ChangeSubgroupsCommand(tenantId, id, [], [childId], principal.subject));
  }

  @Get('groups/:id/roles')
  @Authorize(Access.rolesRead)
  @OkRoute("A group's roles", { type: [RoleView] })
  @ApiResponse(GROUP_NOT_FOUND)
  async roles(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<RoleView[]> {
    return (await this.queries.execute(new GroupRolesQuery(tenantId, id))).map(RoleView.of);
  }

  @Post('groups/:id/roles')
  @Authorize(Access.rolesWrite)
  @OkRoute('Grant roles to a group (and so to everyone in it)', {
    type: [RoleView],
    description: "The group's roles afterwards",
  })
  @ApiResponse({
    status: 400,
    description: '`reserved_permission`: a role holding platform permissions; `validation_failed`',
  })
  @ApiResponse({ status: 404, description: '`group_not_found`; `role_not_found` (details.roleIds)' })
  async addRoles(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignRolesDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RoleView[]> {
    const roles = await this.commands.execute(
      new ChangeGroupRolesCommand(tenantId, id, dto.roleIds, [], principal.subject),
    );
    return roles.map(RoleView.of);
  }

  @Delete('groups/:id/roles/:roleId')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Withdraw a role from a group (idempotent)')
  @ApiResponse(GROUP_NOT_FOUND)
  async removeRole(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('roleId', ParseUUIDPipe) roleId: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new ChangeGroupRolesCommand(tenantId, id, [], [roleId], principal.subject));
  }

  @Get('users/:id/groups')
  @Authorize(Access.usersRead)
  @ApiTags('users')
  @OkRoute('The groups a user is directly in', { type: [GroupView] })
  @ApiResponse({ status: 404, description: '`user_not_found`' })
  async userGroups(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<GroupView[]> {
    return (await this.queries.execute(new UserGroupsQuery(tenantId, id))).map(GroupView.of);
  }
}
