import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal, ScopedTenant } from '@platform/resource-server';
import { CreatedRoute, OkRoute } from '@platform/runtime';
import { Access } from '../common/access';
import { ApiErrors, BearerRefusals, Refusal } from '../common/api-responses';
import { DeleteIdpCommand, SaveIdpCommand, UnlinkExternalIdentityCommand } from './commands/idp.commands';
import { IdpConnectionTestView } from './dto/idp-connection-test.dto';
import { CreateIdpDto, ExternalIdentityView, IdpView, UpdateIdpDto } from './dto/idp.dto';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { TestIdpConnectionQuery } from './queries/test-idp-connection.query';
import { NotWhileImpersonated } from '../impersonation/impersonation-guard';

@ApiTags('identity providers')
@ApiBearerAuth()
@ApiQuery({
  name: 'tenantId',
  required: false,
  description: "Platform administrators: the tenant to act in (others always act in their token's tenant)",
})
@Controller('api/v1')
export class IdpsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idps: IdentityProvidersRepository,
  ) {}

  @Post('idps')
  @CreatedRoute('Create an identity provider', { type: IdpView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse({ status: 409, description: '`idp_slug_taken`' })
  @Authorize(Access.idpsWrite)
  async create(@Body() dto: CreateIdpDto, @ScopedTenant() tenantId: string): Promise<IdpView> {
    return IdpView.of(await this.commands.execute(new SaveIdpCommand(tenantId, null, dto)));
  }

  @Get('idps')
  @OkRoute('List identity providers', { type: [IdpView] })
  @BearerRefusals()
  @Authorize(Access.idpsRead)
  async list(@ScopedTenant() tenantId: string): Promise<IdpView[]> {
    return (await this.idps.list(tenantId)).map(IdpView.of);
  }

  @Get('idps/:id')
  @OkRoute('Get an identity provider', { type: IdpView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse({ status: 404, description: '`idp_not_found`' })
  @Authorize(Access.idpsRead)
  async get(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<IdpView> {
    return IdpView.of(await this.idps.get(tenantId, id));
  }

  @Patch('idps/:id')
  @OkRoute('Update an identity provider', { type: IdpView })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse({ status: 404, description: '`idp_not_found`' })
  @ApiResponse({ status: 409, description: '`idp_slug_taken`' })
  @Authorize(Access.idpsWrite)
  async update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateIdpDto, @ScopedTenant() tenantId: string) {
    return IdpView.of(await this.commands.execute(new SaveIdpCommand(tenantId, id, dto)));
  }

  @Delete('idps/:id')
  @ApiOperation({ summary: 'Delete an identity provider' })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse({ status: 404, description: '`idp_not_found`' })
  @HttpCode(204)
  @Authorize(Access.idpsWrite)
  async remove(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<void> {
    await this.commands.execute(new DeleteIdpCommand(tenantId, id));
  }

  @Post('idps/:id/test')
  // Write: the test makes the platform call out to the provider's issuer.
  @Authorize(Access.idpsWrite)
  @OkRoute("Test connection: fetch the provider's discovery document and JWKS as a sign-in would (5 s timeout each)", {
    type: IdpConnectionTestView,
    description: 'The outcome, also when the provider cannot be used (`ok: false` and a `code`)',
  })
  @ApiResponse({ status: 404, description: '`idp_not_found`' })
  testConnection(
    @Param('id', ParseUUIDPipe) id: string,
    @ScopedTenant() tenantId: string,
  ): Promise<IdpConnectionTestView> {
    return this.queries.execute(new TestIdpConnectionQuery(tenantId, id));
  }

  @Get('users/:id/external-identities')
  @OkRoute("List a user's linked external accounts", { type: [ExternalIdentityView] })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess, Refusal.userNotFound)
  @Authorize(Access.usersRead)
  linksOf(@Param('id', ParseUUIDPipe) id: string, @ScopedTenant() tenantId: string): Promise<ExternalIdentityView[]> {
    return this.links(tenantId, id);
  }

  @Delete('users/:id/external-identities/:linkId')
  @ApiOperation({ summary: "Unlink a user's external account" })
  @ApiErrors(Refusal.validationFailed, Refusal.noBearerToken, Refusal.bearerLacksAccess)
  @ApiResponse({ status: 404, description: '`user_not_found`, `external_identity_not_found`' })
  @ApiResponse({ status: 409, description: '`last_sign_in_method`' })
  @HttpCode(204)
  @Authorize(Access.usersWrite)
  async unlink(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('linkId', ParseUUIDPipe) linkId: string,
    @ScopedTenant() tenantId: string,
  ): Promise<void> {
    await this.commands.execute(new UnlinkExternalIdentityCommand(tenantId, id, linkId));
  }

  @Get('me/external-identities')
  @ApiResponse(Refusal.noBearerToken)
  @Authorize({ signedInUser: true })
  @OkRoute('My linked external accounts (sign-in providers)', { type: [ExternalIdentityView] })
  myLinks(@CurrentPrincipal() me: Principal): Promise<ExternalIdentityView[]> {
    return this.links(me.tenantId!, me.subject);
  }

  @Delete('me/external-identities/:linkId')
  @HttpCode(204)
  @Authorize({ signedInUser: true })
  @ApiOperation({ summary: 'Unlink one of my external accounts (never the last way to sign in)' })
  @ApiResponse({ status: 404, description: '`external_identity_not_found`' })
  @ApiResponse({ status: 409, description: '`last_sign_in_method`: no password and no other linked account' })
  @NotWhileImpersonated('unlinking an account')
  async unlinkMine(@Param('linkId', ParseUUIDPipe) linkId: string, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.commands.execute(new UnlinkExternalIdentityCommand(me.tenantId!, me.subject, linkId, true));
  }

  private async links(tenantId: string, userId: string): Promise<ExternalIdentityView[]> {
    return (await this.idps.externalIdentitiesOf(tenantId, userId)).map(ExternalIdentityView.of);
  }
}
