import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, tenantScope } from '@platform/resource-server';
import { CreatedRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { ApiErrors, BearerRefusals, Refusal } from '../common/api-responses';
import { decodeCursor } from '../common/cursor';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { PageQueryDto, type Page, paginate } from '../common/page';
import { CreateTenantCommand } from './commands/create-tenant.command';
import { UpdateTenantCommand } from './commands/update-tenant.command';
import { CreateTenantDto, TenantView, UpdateTenantDto } from './dto/tenant.dto';
import { TenantSettingsDto } from './dto/tenant-settings.dto';
import { GetTenantQuery } from './queries/tenant.queries';
import { resolveTenantSettings, type TenantSettings } from './tenant-settings';
import { TenantsRepository } from './tenants.repository';

const TENANT_NOT_FOUND = {
  status: 404,
  description: "`tenant_not_found`; `not_found`: a tenant other than the token's",
} as const;

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('api/v1/tenants')
export class TenantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly tenants: TenantsRepository,
  ) {}

  @Post()
  @CreatedRoute('Create a tenant', { type: TenantView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken)
  @ApiResponse({
    status: 403,
    description: '`insufficient_scope`; `platform_admin_required`: only platform administrators may do this',
  })
  @ApiResponse({ status: 409, description: '`tenant_slug_taken`' })
  @Authorize(Access.tenantsWrite)
  async create(@Body() dto: CreateTenantDto, @CurrentPrincipal() principal: Principal): Promise<TenantView> {
    requirePlatformAdmin(principal);
    const settings = (dto.settings ?? {}) as Partial<TenantSettings>;
    return TenantView.of(await this.commands.execute(new CreateTenantCommand(dto.slug, dto.displayName, settings)));
  }

  @Get()
  @OkRoute('List tenants', { description: 'Platform administrators see every tenant; others only their own' })
  @ApiResponse({ status: 400, description: '`invalid_cursor`, `validation_failed`' })
  @BearerRefusals()
  @Authorize(Access.tenantsRead)
  async list(@Query() page: PageQueryDto, @CurrentPrincipal() principal: Principal): Promise<Page<TenantView>> {
    if (!principal.isPlatformAdmin) {
      const own = await this.queries.execute(new GetTenantQuery(tenantScope(principal)));
      return { items: [TenantView.of(own)], nextCursor: null };
    }
    const after = page.cursor ? decodeCursor(page.cursor) : undefined;
    const tenants = await this.tenants.list(
      page.limit + 1,
      after && { createdAt: new Date(after.value), id: after.id },
    );
    return paginate(
      tenants,
      page.limit,
      (last) => ({ value: last.createdAt.toISOString(), id: last.id }),
      TenantView.of,
    );
  }

  @Get(':id')
  @OkRoute('Get a tenant', { type: TenantView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse(TENANT_NOT_FOUND)
  @Authorize(Access.tenantsRead)
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<TenantView> {
    return TenantView.of(await this.queries.execute(new GetTenantQuery(tenantScope(principal, id))));
  }

  @Patch(':id')
  @OkRoute('Update a tenant', { type: TenantView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken)
  @ApiResponse({
    status: 403,
    description: '`insufficient_scope`; `platform_admin_required`: only platform administrators may do this',
  })
  @ApiResponse(TENANT_NOT_FOUND)
  @Authorize(Access.tenantsWrite)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTenantDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TenantView> {
    const tenantId = tenantScope(principal, id);
    if (dto.status !== undefined) requirePlatformAdmin(principal);
    return TenantView.of(await this.commands.execute(new UpdateTenantCommand(tenantId, dto, actorOf(principal))));
  }

  @Get(':id/settings')
  @OkRoute("Get a tenant's settings", { type: TenantSettingsDto })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse(TENANT_NOT_FOUND)
  @Authorize(Access.tenantsRead)
  async getSettings(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TenantSettings> {
    const tenant = await this.queries.execute(new GetTenantQuery(tenantScope(principal, id)));
    return resolveTenantSettings(tenant.settings);
  }

  @Put(':id/settings')
  @OkRoute("Update a tenant's settings", {
    type: TenantSettingsDto,
    description: 'Sections given replace the matching fields; others are kept',
  })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse(TENANT_NOT_FOUND)
  @ApiResponse({
    status: 409,
    description: '`passkey_policy_lockout`: requiring passkeys of administrators would lock out the caller',
  })
  @Authorize(Access.tenantsWrite)
  async updateSettings(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: TenantSettingsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TenantSettings> {
    const tenant = await this.commands.execute(
      new UpdateTenantCommand(
        tenantScope(principal, id),
        { settings: dto as Partial<TenantSettings> },
        actorOf(principal),
      ),
    );
    return resolveTenantSettings(tenant.settings);
  }
}

/** The user behind a change, for the passkey policy's lockout guard (a client has no sign-in to lose). */
const actorOf = (principal: Principal) =>
  principal.kind === 'user' ? { userId: principal.subject, tenantId: principal.tenantId } : undefined;

/** Creating and suspending tenants is for platform administrators only. */
function requirePlatformAdmin(principal: Principal): void {
  if (!principal.isPlatformAdmin) {
    throw new IdentityError(IdentityErrorCode.PlatformAdminRequired, 'Only platform administrators may do this');
  }
}
