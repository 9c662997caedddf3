import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { ClientsService } from './clients.service';
import { ClientView, ClientWithSecretView, CreateClientDto, RotateSecretDto, UpdateClientDto } from './dto/client.dto';

const READ = { scopes: ['authz.clients.read'], permissions: ['authz-clients:read'] } as const;
const WRITE = { scopes: ['authz.clients.write'], permissions: ['authz-clients:write'] } as const;

@ApiTags('clients')
@ApiBearerAuth()
@Controller('api/v1/clients')
export class ClientsController {
  constructor(private readonly clients: ClientsService) {}

  @Post()
  @Authorize(WRITE)
  @ApiCreatedResponse({ type: ClientWithSecretView, description: 'The secret appears only in this response' })
  async create(@Body() dto: CreateClientDto, @CurrentPrincipal() actor: Principal): Promise<ClientWithSecretView> {
    const { client, secret } = await this.clients.create(dto, actor.subject);
    return Object.assign(ClientView.of(client), secret ? { clientSecret: secret } : {});
  }

  @Get()
  @Authorize(READ)
  @ApiOkResponse({ type: [ClientView] })
  async list(): Promise<ClientView[]> {
    return (await this.clients.list()).map(ClientView.of);
  }

  @Get(':clientId')
  @Authorize(READ)
  @ApiOkResponse({ type: ClientView })
  async get(@Param('clientId') clientId: string): Promise<ClientView> {
    return ClientView.of(await this.clients.get(clientId));
  }

  @Patch(':clientId')
  @Authorize(WRITE)
  @ApiOkResponse({ type: ClientView, description: 'The registration after the change (never a secret)' })
  async update(
    @Param('clientId') clientId: string,
    @Body() dto: UpdateClientDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ClientView> {
    return ClientView.of(await this.clients.update(clientId, dto, actor.subject));
  }

  @Delete(':clientId')
  @HttpCode(204)
  @Authorize(WRITE)
  async remove(@Param('clientId') clientId: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    await this.clients.remove(clientId, actor.subject);
  }

  @Post(':clientId/secret')
  @HttpCode(200)
  @Authorize(WRITE)
  @ApiOkResponse({
    type: ClientWithSecretView,
    description: 'New secret (shown once); the old one works for overlapSeconds',
  })
  async rotateSecret(
    @Param('clientId') clientId: string,
    @Body() dto: RotateSecretDto,
    @CurrentPrincipal() actor: Principal,
  ): Promise<ClientWithSecretView> {
    const { client, secret } = await this.clients.rotateSecret(clientId, dto.overlapSeconds ?? 86_400, actor.subject);
    return Object.assign(ClientView.of(client), { clientSecret: secret });
  }
}
