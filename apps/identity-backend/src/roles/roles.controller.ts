import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { Authorize, ScopedTenant } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { BearerRefusals } from '../common/api-responses';
import { TenantScopedApi } from '../common/tenant-scoped-api';
import { PageQueryDto, type Page, readPageById } from '../common/page';
import { UserView } from '../users/dto/user.dto';
import {
  ChangeRolePermissionsCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  UpdateRoleCommand,
} from './commands/role.commands';
import { CreateRoleDto, RolePermissionsDto, RoleView, UpdateRoleDto } from './dto/role.dto';
import { GetRoleQuery, ListRoleMembersQuery } from './queries/role.queries';
import { RolesRepository } from './roles.repository';

const ROLE_NOT_FOUND = { status: 404, description: '`role_not_found`: no such role in this tenant' } as const;

@TenantScopedApi('roles')
@BearerRefusals()
@Controller('api/v1/roles')
export class RolesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly roles: RolesRepository,
  ) {}

  @Post()
  @CreatedRoute('Create a role', { type: RoleView })
  @ApiResponse({ status: 400, description: '`reserved_permission`, `validation_failed`' })
  @ApiResponse({ status: 409, description: '`role_name_taken`' })
  @Authorize(Access.rolesWrite)
  async create(@Body() dto: CreateRoleDto, @ScopedTenant() tenantId: string): Promise<RoleView> {
    const role = await this.commands.execute(
      new CreateRoleCommand(tenantId, dto.name, dto.description ?? '', dto.permissions ?? []),
    );
    return RoleView.of(role);
  }

  @Get()
  @OkRoute('List roles', { type: [RoleView] })
  @ApiResponse({ status: 400, description: '`validation_failed`' })
  @Authorize(Access.rolesRead)
  async list(@ScopedTenant() tenantId: string): Promise<RoleView[]> {
    return (await this.roles.list(tenantId)).map(RoleView.of);
  }

  @Get(':id')
  @OkRoute('Get a role', { type: RoleView })
  @ApiResponse(ROLE_NOT_FOUND)
  @Authorize(Access.rolesRead)
  async get(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<RoleView> {
    return RoleView.of(await this.queries.execute(new GetRoleQuery(tenantId, id)));
  }

  @Patch(':id')
  @OkRoute('Update a role', { type: RoleView })
  @ApiResponse({ status: 400, description: '`reserved_permission`, `validation_failed`' })
  @ApiResponse(ROLE_NOT_FOUND)
  @ApiResponse({ status: 409, description: '`role_name_taken`' })
  @Authorize(Access.rolesWrite)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateRoleDto,
    @ScopedTenant() tenantId: string,
  ): Promise<RoleView> {
    return RoleView.of(await this.commands.execute(new UpdateRoleCommand(tenantId, id, dto)));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a role' })
  @ApiResponse(ROLE_NOT_FOUND)
  @ApiResponse({ status: 409, description: '`role_in_use`' })
  @HttpCode(204)
  @Authorize(Access.rolesWrite)
  async remove(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<void> {
    await this.commands.execute(new DeleteRoleCommand(tenantId, id));
  }

  @Get(':id/permissions')
  @Authorize(Access.rolesRead)
  @OkRoute("A role's permissions (seed 002's sub-resource beside the role's PATCH)", { type: [String] })
  @ApiResponse(ROLE_NOT_FOUND)
  async permissions(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<string[]> {
    return (await this.queries.execute(new GetRoleQuery(tenantId, id))).permissions;
  }

  @Post(':id/permissions')
  @Authorize(Access.rolesWrite)
  @OkRoute('Add permissions to a role (ones it holds already are left as they are)', {
    type: [String],
    description: "The role's permissions afterwards, sorted",
  })
  @ApiResponse({
    status: 400,
    description:
      '`reserved_permission` (details.permissions): platform:*, authz-keys:*, authz-apis:* are never in a tenant role; `validation_failed`',
  })
  @ApiResponse(ROLE_NOT_FOUND)
  async addPermissions(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RolePermissionsDto,
    @ScopedTenant() tenantId: string,
  ): Promise<string[]> {
    return (await this.commands.execute(new ChangeRolePermissionsCommand(tenantId, id, dto.permissions, [])))
      .permissions;
  }

  @Delete(':id/permissions/:permission')
  @Authorize(Access.rolesWrite)
  @NoContentRoute('Remove a permission from a role (idempotent)')
  @ApiResponse(ROLE_NOT_FOUND)
  async removePermission(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('permission') permission: string,
    @ScopedTenant() tenantId: string,
  ): Promise<void> {
    await this.commands.execute(new ChangeRolePermissionsCommand(tenantId, id, [], [permission]));
  }

  @Get(':id/members')
  @OkRoute("List a role's members", { description: 'Users holding the role, a page at a time' })
  @ApiResponse({ status: 400, description: '`invalid_cursor`, `validation_failed`' })
  @ApiResponse(ROLE_NOT_FOUND)
  @Authorize(Access.rolesRead)
  async members(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() page: PageQueryDto,
    @ScopedTenant() tenantId: string,
  ): Promise<Page<UserView>> {
    return readPageById(
      page,
      (limit, afterId) => this.queries.execute(new ListRoleMembersQuery(tenantId, id, limit, afterId)),
      UserView.of,
    );
  }
}
