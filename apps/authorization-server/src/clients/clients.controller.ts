import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { ClientError, ClientErrorCode } from './client-errors';
import { ClientsService } from './clients.service';
import { ClientView, ClientWithSecretView, CreateClientDto, RotateSecretDto, UpdateClientDto } from './dto/client.dto';

/** Who may read and change clients; registering them (initial access tokens) takes the same rights. */
export const CLIENTS_READ = { scopes: ['authz.clients.read'], permissions: ['authz-clients:read'] } as const;
export const CLIENTS_WRITE = { scopes: ['authz.clients.write'], permissions: ['authz-clients:write'] } as const;
/** What a registration or a change may be refused for: its body. */
const METADATA_ERRORS = [
  'validation_failed',
  ClientErrorCode.InvalidMetadata,
  ClientErrorCode.InvalidRedirectUri,
  ClientErrorCode.ReservedScope,
] as const;

/** A tenant's callers manage their tenant's clients; platform clients (no tenant) are platform administrators'. */
@ManagementApi('clients')
@Controller('api/v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Authorize(CLIENTS_WRITE)
  @CreatedRoute('Register a client', {
    type: ClientWithSecretView,
    description: 'The secret appears only in this response',
  })
  @ApiManagementErrors(ClientError, ...METADATA_ERRORS)
  async create(
    @Body() dto: CreateClientDto,
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ClientWithSecretView> {
    const { client, secret } = await this.clients.create(scope, dto, actor.subject);
    return Object.assign(ClientView.of(client), secret ? { clientSecret: secret } : {});
  }

  @Get()
  @Authorize(CLIENTS_READ)
  @OkRoute('List the clients', { type: [ClientView] })
  @ApiManagementErrors(ClientError)
  async list(@ManagedTenant() scope: TenantScope): Promise<ClientView[]> {
    return (await this.clients.list(scope)).map(ClientView.of);
  }

  @Get(':clientId')
  @Authorize(CLIENTS_READ)
  @OkRoute('Get a client', { type: ClientView })
  @ApiManagementErrors(ClientError, ClientErrorCode.NotFound)
  async get(@Param('clientId') clientId: string, @ManagedTenant() scope: TenantScope): Promise<ClientView> {
    return ClientView.of(await this.clients.get(scope, clientId));
  }

  @Patch(':clientId')
  @Authorize(CLIENTS_WRITE)
  @OkRoute('Change a client', { type: ClientView, description: 'The registration after the change (never a secret)' })
  @ApiManagementErrors(ClientError, ...METADATA_ERRORS, ClientErrorCode.NotFound)
  async update(
    @Param('clientId') clientId: string,
    @Body() dto: UpdateClientDto,
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ClientView> {
    return ClientView.of(await this.clients.update(scope, clientId, dto, actor.subject));
  }

  @Delete(':clientId')
  @Authorize(CLIENTS_WRITE)
  @NoContentRoute('Delete a client', 'Deleted')
  @ApiManagementErrors(ClientError, ClientErrorCode.NotFound)
  async remove(
    @Param('clientId') clientId: string,
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() actor: Principal,
  ): Promise<void> {
    await this.clients.remove(scope, clientId, actor.subject);
  }

  @Post(':clientId/secret')
  @Authorize(CLIENTS_WRITE)
  @OkRoute("Rotate a client's secret", {
    type: ClientWithSecretView,
    description: 'New secret (shown once); the old one works for overlapSeconds',
  })
  @ApiManagementErrors(ClientError, 'validation_failed', ClientErrorCode.NotFound, ClientErrorCode.PublicClient)
  async rotateSecret(
    @Param('clientId') clientId: string,
    @Body() dto: RotateSecretDto,
    @ManagedTenant() scope: TenantScope,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ClientWithSecretView> {
    const overlap = dto.overlapSeconds ?? 86_400;
    const { client, secret } = await this.clients.rotateSecret(scope, clientId, overlap, actor.subject);
    return Object.assign(ClientView.of(client), { clientSecret: secret });
  }
}
