import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiResponse } from '@nestjs/swagger';
import { Authorize, ScopedTenant } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { TenantScopedApi } from '../common/tenant-scoped-api';
import { SaveIdpFederationCommand } from './commands/save-idp-federation.command';
import { IdpFederationDto } from './dto/idp-federation.dto';
import { IdentityProvidersRepository } from './identity-providers.repository';

const IDP_NOT_FOUND = {
  status: 404,
  description: '`idp_not_found`: no such identity provider in this tenant',
} as const;

/** Seed 002's `/idps/{id}/federation`: how the provider's users become and stay local users. */
@TenantScopedApi('identity providers')
@Controller('api/v1/idps/:id/federation')
export class IdpFederationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly idps: IdentityProvidersRepository,
  ) {}

  @Get()
  @Authorize(Access.idpsRead)
  @OkRoute(
    "An identity provider's federation settings: JIT provisioning, linking policy, claim mapping, default role",
    { type: IdpFederationDto },
  )
  @ApiResponse(IDP_NOT_FOUND)
  async get(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<IdpFederationDto> {
    return IdpFederationDto.of(await this.idps.get(tenantId, id));
  }

  @Put()
  @Authorize(Access.idpsWrite)
  @OkRoute("Replace an identity provider's federation settings", { type: IdpFederationDto })
  @ApiResponse({
    status: 400,
    description:
      '`validation_failed` (e.g. a claimMapping key that is no profile field); `reserved_permission`: the default role holds platform permissions',
  })
  @ApiResponse({
    status: 404,
    description: '`idp_not_found`; `role_not_found`: the default role is not one of the tenant',
  })
  async put(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IdpFederationDto,
    @ScopedTenant() tenantId: string,
  ): Promise<IdpFederationDto> {
    return IdpFederationDto.of(await this.commands.execute(new SaveIdpFederationCommand(tenantId, id, dto)));
  }
}
