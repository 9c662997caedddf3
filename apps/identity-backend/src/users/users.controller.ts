import {
  applyDecorators,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import {
  Authorize,
  CurrentPrincipal,
  type Principal,
  RequestedTenantId,
  ScopedTenant,
  tenantScope,
} from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { ApiErrors, BearerRefusals, Refusal } from '../common/api-responses';
import { TenantScopedApi } from '../common/tenant-scoped-api';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { decodeCursor } from '../common/cursor';
import { type Page, paginate } from '../common/page';
import { SetPasswordCommand } from '../credentials/commands/set-password.command';
import { SetPasswordDto } from '../credentials/dto/password.dto';
import { RemoveMfaCommand } from '../mfa/commands/totp-enrollment.commands';
import { ChangeUserRolesCommand } from '../roles/commands/role.commands';
import { AssignRolesDto, EffectivePermissionsView, RoleView } from '../roles/dto/role.dto';
import { EffectivePermissionsQuery } from '../roles/queries/role.queries';
import { RolesRepository } from '../roles/roles.repository';
import { ChangeUserStatusCommand } from './commands/change-user-status.command';
import { CreateUserCommand } from './commands/create-user.command';
import { UpdateUserCommand } from './commands/update-user.command';
import { VerifyEmailCommand } from './commands/verify-email.command';
import { ProfileDto } from './dto/profile.dto';
import type { StandardClaims } from './standard-claims';
import { CreateUserDto, ListUsersQueryDto, StatusChangeDto, UpdateAttributesDto, UserView } from './dto/user.dto';
import { GetUserQuery } from './queries/user.queries';
import { UsersRepository } from './users.repository';
import type { StatusAction } from './user-status';

/** POST /users/:id/<action> for a status transition (lock, unlock, disable, enable): the user afterwards. */
const StatusTransition = (action: Exclude<StatusAction, 'delete'>, summary: string) =>
  applyDecorators(
    Post(`:id/${action}`),
    OkRoute(summary, { type: UserView }),
    ApiResponse(Refusal.userNotFound),
    ApiResponse({ status: 409, description: '`invalid_status_transition`' }),
    Authorize(Access.usersWrite),
  );

@TenantScopedApi('users')
@BearerRefusals()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly users: UsersRepository,
    private readonly rolesRepository: RolesRepository,
  ) {}

  @Post()
  @CreatedRoute('Create a user', { type: UserView })
  @ApiResponse({ status: 409, description: '`email_taken`, `username_taken`' })
  @ApiResponse({ status: 422, description: '`email_domain_not_allowed`, `weak_password`' })
  @Authorize(Access.usersWrite)
  @ApiResponse({ status: 400, description: '`tenant_conflict`: `?tenantId=` and the (deprecated) body field differ' })
  async create(
    @Body() dto: CreateUserDto,
    @CurrentPrincipal() principal: Principal,
    @RequestedTenantId() requested: string | undefined,
  ): Promise<UserView> {
    const { tenantId: bodyTenantId, ...fields } = dto;
    // The body field came first and keeps working; the query parameter is what every other route reads.
    if (requested && bodyTenantId && requested.toLowerCase() !== bodyTenantId.toLowerCase()) {
      throw new IdentityError(IdentityErrorCode.TenantConflict, 'tenantId in the query and in the body differ');
    }
    const user = await this.commands.execute(
      new CreateUserCommand({
        ...fields,
        tenantId: tenantScope(principal, requested ?? bodyTenantId),
        origin: 'admin',
        actor: principal.subject,
      }),
    );
    return UserView.of(user);
  }

  @Get()
  @OkRoute('List users', { description: 'A page of users; pass nextCursor back as cursor for the next one' })
  @ApiResponse({ status: 400, description: '`invalid_cursor`, `validation_failed`' })
  @Authorize(Access.usersRead)
  async list(@Query() query: ListUsersQueryDto, @ScopedTenant() tenantId: string): Promise<Page<UserView>> {
    const filters = {
      status: query.status,
      roleId: query.role,
      emailPrefix: query.email?.normalize('NFKC').toLowerCase(),
      usernamePrefix: query.username?.toLowerCase(),
      createdAfter: query.createdAfter ? new Date(query.createdAfter) : undefined,
      createdBefore: query.createdBefore ? new Date(query.createdBefore) : undefined,
    };
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const users = await this.users.list(tenantId, filters, query.sort, query.limit + 1, after);
    const sortValue = (u: (typeof users)[number]) =>
      query.sort.endsWith('email') ? u.emailCanonical : u.createdAt.toISOString();
    return paginate(users, query.limit, (last) => ({ value: sortValue(last), id: last.id }), UserView.of);
  }

  @Get(':id')
  @OkRoute('Get a user', { type: UserView })
  @ApiResponse(Refusal.userNotFound)
  @Authorize(Access.usersRead)
  async get(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<UserView> {
    return UserView.of(await this.queries.execute(new GetUserQuery(tenantId, id)));
  }

  @Get(':id/profile')
  @Authorize(Access.usersRead)
  @OkRoute("A user's profile: the OIDC standard claims set on the account", { type: ProfileDto })
  @ApiResponse(Refusal.userNotFound)
  async profile(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<StandardClaims> {
    return (await this.queries.execute(new GetUserQuery(tenantId, id))).profile;
  }

  @Put(':id/profile')
  @Authorize(Access.usersWrite)
  @OkRoute("Replace a user's profile (the OIDC standard claims)", {
    type: UserView,
    description: 'Replaces the standard-claims profile',
  })
  @ApiResponse({ status: 400, description: '`validation_failed`, `invalid_characters`' })
  @ApiResponse(Refusal.userNotFound)
  async updateProfile(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() profile: ProfileDto,
    @ScopedTenant() tenantId: string,
  ): Promise<UserView> {
    return UserView.of(await this.commands.execute(new UpdateUserCommand(tenantId, id, { profile: { ...profile } })));
  }

  @Put(':id/attributes')
  @OkRoute("Replace a user's custom attributes", { type: UserView })
  @ApiErrors(Refusal.validationFailed, Refusal.userNotFound)
  @ApiResponse({ status: 413, description: '`attributes_too_large`' })
  @Authorize(Access.usersWrite)
  async updateAttributes(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateAttributesDto,
    @ScopedTenant() tenantId: string,
  ): Promise<UserView> {
    return UserView.of(
      await this.commands.execute(new UpdateUserCommand(tenantId, id, { attributes: dto.attributes })),
    );
  }

  @Post(':id/verify-email')
  @OkRoute("Mark a user's email verified", {
    type: UserView,
    description: 'Marks the address verified (administrator); idempotent',
  })
  @ApiResponse(Refusal.userNotFound)
  @Authorize(Access.usersWrite)
  async verifyEmail(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserView> {
    return UserView.of(await this.commands.execute(new VerifyEmailCommand(tenantId, id, principal.subject)));
  }

  @StatusTransition('lock', 'Lock a user')
  lock(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StatusChangeDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(tenantId, id, 'lock', dto, principal);
  }

  @StatusTransition('unlock', 'Unlock a user')
  unlock(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StatusChangeDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(tenantId, id, 'unlock', dto, principal);
  }

  @StatusTransition('disable', 'Disable a user')
  disable(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StatusChangeDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(tenantId, id, 'disable', dto, principal);
  }

  @StatusTransition('enable', 'Enable a user')
  enable(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StatusChangeDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.changeStatus(tenantId, id, 'enable', dto, principal);
  }

  @Delete(':id')
  @NoContentRoute('Delete a user', 'Soft delete: the account stops working at once and its email stays reserved')
  @ApiResponse(Refusal.userNotFound)
  @Authorize(Access.usersWrite)
  async remove(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StatusChangeDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.changeStatus(tenantId, id, 'delete', dto, principal);
  }

  @Post(':id/password')
  @NoContentRoute("Set a user's password", 'Sets a password (temporary by default: changed at next sign-in)')
  @ApiErrors(Refusal.validationFailed, Refusal.userNotFound, Refusal.passwordRefused)
  @Authorize(Access.usersWrite)
  async setPassword(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetPasswordDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(
      new SetPasswordCommand({
        tenantId: tenantId,
        userId: id,
        newPassword: dto.password,
        temporary: dto.temporary ?? true,
        actor: principal.subject,
      }),
    );
  }

  @Post(':id/mfa/reset')
  @NoContentRoute("Reset a user's second factors", 'Removes every second factor and recovery code (lost device)')
  @ApiResponse(Refusal.userNotFound)
  @Authorize(Access.usersWrite)
  async resetMfa(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(new RemoveMfaCommand(tenantId, id, null, principal.subject));
  }

  @Get(':id/roles')
  @OkRoute("List a user's roles", { type: [RoleView] })
  @ApiResponse(Refusal.userNotFound)
  @Authorize(Access.usersRead)
  async roles(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<RoleView[]> {
    await this.queries.execute(new GetUserQuery(tenantId, id));
    return (await this.rolesRepository.rolesOfUser(tenantId, id)).map(RoleView.of);
  }

  @Post(':id/roles')
  @OkRoute('Assign roles to a user', { type: [RoleView], description: "The user's roles after the assignment" })
  @ApiResponse(Refusal.validationFailed)
  @ApiResponse({ status: 404, description: '`user_not_found`, `role_not_found`' })
  @Authorize(Access.rolesWrite)
  async assignRoles(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AssignRolesDto,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RoleView[]> {
    const roles = await this.commands.execute(
      new ChangeUserRolesCommand(tenantId, id, dto.roleIds, [], principal.subject, principal.isPlatformAdmin),
    );
    return roles.map(RoleView.of);
  }

  @Delete(':id/roles/:roleId')
  @ApiOperation({ summary: 'Revoke a role from a user' })
  @ApiResponse({ status: 404, description: '`user_not_found`, `role_not_found`' })
  @HttpCode(204)
  @Authorize(Access.rolesWrite)
  async revokeRole(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('roleId', ParseUUIDPipe) roleId: string,
    @ScopedTenant() tenantId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.execute(
      new ChangeUserRolesCommand(tenantId, id, [], [roleId], principal.subject, principal.isPlatformAdmin),
    );
  }

  @Get(':id/permissions')
  @Authorize(Access.usersRead)
  @OkRoute("A user's effective permissions: their roles and their groups' roles (nested groups included)", {
    type: EffectivePermissionsView,
  })
  @ApiResponse({ status: 404, description: '`user_not_found`' })
  async permissions(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
  ): Promise<EffectivePermissionsView> {
    await this.queries.execute(new GetUserQuery(tenantId, id));
    const { roles, permissions, groups } = await this.queries.execute(new EffectivePermissionsQuery(tenantId, id));
    return { roles: roles.map(RoleView.of), permissions, groups };
  }

  private async changeStatus(
    tenantId: string,
    id: string,
    action: StatusAction,
    dto: StatusChangeDto,
    principal: Principal,
  ): Promise<UserView> {
    const user = await this.commands.execute(
      new ChangeUserStatusCommand(tenantId, id, action, dto.reason ?? null, principal.subject),
    );
    return UserView.of(user);
  }
}
