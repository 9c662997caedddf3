import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { ApiKeyError, ApiKeyErrorCode } from './api-key-errors';
import { type ApiKeyActor, ApiKeysService } from './api-keys.service';
import { ApiKeyView, ApiKeyWithSecretView, CreateApiKeyDto, ListApiKeysQuery } from './dto/api-key.dto';

const READ = { scopes: ['authz.apikeys.read'], permissions: ['authz-apikeys:read'] } as const;
const WRITE = { scopes: ['authz.apikeys.write'], permissions: ['authz-apikeys:write'] } as const;

/** Callers bound to a tenant manage that tenant's keys only; platform administrators, any tenant's. */
const actorOf = (principal: Principal, scope: TenantScope): ApiKeyActor => ({ subject: principal.subject, scope });

@ManagementApi('api keys')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @Authorize(WRITE)
  @CreatedRoute('Issue an API key', {
    type: ApiKeyWithSecretView,
    description: 'The key appears only in this response',
  })
  @ApiManagementErrors(
    ApiKeyError,
    'validation_failed',
    ApiKeyErrorCode.OwnerRequired,
    ApiKeyErrorCode.UnknownClient,
    ApiKeyErrorCode.TenantMismatch,
    ApiKeyErrorCode.UnknownResource,
    ApiKeyErrorCode.InvalidScope,
    ApiKeyErrorCode.InvalidExpiry,
  )
  async create(
    @Body() dto: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
    @ManagedTenant() scope: TenantScope,
  ): Promise<ApiKeyWithSecretView> {
    const { apiKey, key } = await this.apiKeys.create(dto, actorOf(principal, scope));
    return Object.assign(new ApiKeyWithSecretView(), ApiKeyView.of(apiKey), { key });
  }

  @Get()
  @Authorize(READ)
  @OkRoute('List the API keys', { type: [ApiKeyView], description: 'Never the keys themselves' })
  @ApiManagementErrors(ApiKeyError, 'validation_failed')
  async list(
    @Query() query: ListApiKeysQuery,
    @CurrentPrincipal() principal: Principal,
    @ManagedTenant() scope: TenantScope,
  ): Promise<ApiKeyView[]> {
    return (await this.apiKeys.list(actorOf(principal, scope), query)).map(ApiKeyView.of);
  }

  @Get(':id')
  @Authorize(READ)
  @OkRoute('Get an API key', { type: ApiKeyView })
  @ApiManagementErrors(ApiKeyError, ApiKeyErrorCode.NotFound)
  async get(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @ManagedTenant() scope: TenantScope,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.apiKeys.get(id, actorOf(principal, scope)));
  }

  @Delete(':id')
  @Authorize(WRITE)
  @NoContentRoute('Revoke an API key', 'Revoked')
  @ApiManagementErrors(ApiKeyError, ApiKeyErrorCode.NotFound)
  async revoke(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @ManagedTenant() scope: TenantScope,
  ): Promise<void> {
    await this.apiKeys.revoke(id, actorOf(principal, scope));
  }
}
