import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import {
  CreateInitialAccessTokenDto,
  InitialAccessTokenView,
  InitialAccessTokenWithValueView,
} from './dto/initial-access-token.dto';
import { ApiManagementErrors } from '../access/api-errors';
// Registering clients is writing clients: the same rights as the clients API.
import { CLIENTS_READ, CLIENTS_WRITE } from '../clients/clients.controller';
import { RegistrationError, RegistrationErrorCode } from './registration-errors';
import { InitialAccessTokensService } from './initial-access-tokens.service';

/** Initial access tokens for dynamic client registration (RFC 7591), tenant-scoped like clients. */
@ManagementApi('clients')
@Controller('api/v1/initial-access-tokens')
export class InitialAccessTokensController {
  constructor(private readonly tokens: InitialAccessTokensService) {}

  @Post()
  @Authorize(CLIENTS_WRITE)
  @CreatedRoute('Issue an initial access token', {
    type: InitialAccessTokenWithValueView,
    description: 'The token appears only in this response',
  })
  @ApiManagementErrors(
    RegistrationError,
    'validation_failed',
    RegistrationErrorCode.TenantRequired,
    RegistrationErrorCode.Disabled,
  )
  async issue(
    @Body() dto: CreateInitialAccessTokenDto,
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() actor: Principal,
  ): Promise<InitialAccessTokenWithValueView> {
    const issued = await this.tokens.issue(scope, dto, actor.subject);
    return Object.assign(InitialAccessTokenView.of(issued), { token: issued.token });
  }

  @Get()
  @Authorize(CLIENTS_READ)
  @OkRoute('List the initial access tokens', {
    type: [InitialAccessTokenView],
    description: 'Live tokens, never their value',
  })
  @ApiManagementErrors(RegistrationError)
  async list(@ManagedTenant() scope: TenantScope): Promise<InitialAccessTokenView[]> {
    return (await this.tokens.list(scope)).map(InitialAccessTokenView.of);
  }

  @Delete(':id')
  @Authorize(CLIENTS_WRITE)
  @NoContentRoute('Revoke an initial access token', 'Revoked')
  @ApiManagementErrors(RegistrationError, 'validation_failed', RegistrationErrorCode.NotFound)
  async revoke(@Param('id', ParseUUIDPipe) id: string, @ManagedTenant() scope: TenantScope): Promise<void> {
    await this.tokens.revoke(scope, id);
  }
}
