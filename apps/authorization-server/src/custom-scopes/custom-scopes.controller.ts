import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute, OptionalStringField, OptionalUuidField } from '@platform/runtime';
import { Matches, ValidateBy } from 'class-validator';
import { ManagedTenant, ManagementApi, type TenantScope } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { CustomScopeError } from './custom-scope-errors';
import { CustomScopesService } from './custom-scopes.service';

// Their own scope and permission: a tenant administrator maps their tenant's custom scopes
// without the platform-only power over APIs (authz-apis:*).
const READ = { scopes: ['authz.claims.read'], permissions: ['authz-claims:read'] } as const;
const WRITE = { scopes: ['authz.claims.write'], permissions: ['authz-claims:write'] } as const;

const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

const isClaimSource = (value: unknown) =>
  (typeof value === 'string' && CLAIM_NAME.test(value)) ||
  (Array.isArray(value) &&
    value.length > 0 &&
    value.length <= 20 &&
    value.every((v) => typeof v === 'string' && CLAIM_NAME.test(v)));

export class CreateCustomScopeDto {
  @ApiProperty({ example: 'urn:appidentity:user', description: 'The scope clients request' })
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/, { message: 'scope must be a valid scope token' })
  scope!: string;

  @ApiProperty({ example: 'appidentity', description: 'The claim it releases into ID tokens and userinfo' })
  @Matches(CLAIM_NAME, { message: 'claim must start with a letter: letters, digits, _ . : -' })
  claim!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['preferred_username', 'email', 'roles', 'picture'],
    description: 'A user claim to copy, or several to release as one object',
  })
  @ValidateBy({
    name: 'isClaimSource',
    validator: {
      validate: isClaimSource,
      defaultMessage: () => 'source must be a claim name or a list of 1-20 claim names',
    },
  })
  source!: string | string[];

  @OptionalUuidField({
    description:
      "Only this tenant's users (a tenant's callers: always their own; none: every tenant, platform administrators only)",
  })
  tenantId?: string;

  @OptionalStringField([1, 100], { description: 'Only this client' }) clientId?: string;
  @OptionalStringField([0, 500]) description?: string;
}

/** A custom scope as the API returns it (the entity's columns, documented for the generated clients). */
export class CustomScopeView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'urn:appidentity:user' }) scope!: string;
  @ApiProperty({ example: 'appidentity' }) claim!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }) source!:
    string | string[];
  @ApiProperty({ nullable: true, type: String, description: 'None: every tenant' }) tenantId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'None: every client' }) clientId!: string | null;
  @ApiProperty() description!: string;
  @ApiProperty() createdAt!: Date;
}

/** Custom scopes mapping to claims (seed 003): global, per tenant or per client. */
@ManagementApi('custom-scopes')
@Controller('api/v1/custom-scopes')
export class CustomScopesController {
  constructor(private readonly customScopes: CustomScopesService) {}

  @Post()
  @Authorize(WRITE)
  @CreatedRoute('Map a custom scope to a claim', { type: CustomScopeView })
  @ApiManagementErrors(
    CustomScopeError,
    'validation_failed',
    'reserved_claim',
    'unknown_client',
    'scope_taken',
    'custom_scope_exists',
  )
  create(@Body() dto: CreateCustomScopeDto, @ManagedTenant() scope: TenantScope): Promise<CustomScopeView> {
    return this.customScopes.create(scope, dto);
  }

  @Get()
  @Authorize(READ)
  @OkRoute('List the custom scopes', { type: [CustomScopeView] })
  @ApiManagementErrors(CustomScopeError)
  list(@ManagedTenant() scope: TenantScope): Promise<CustomScopeView[]> {
    return this.customScopes.list(scope);
  }

  @Delete(':id')
  @Authorize(WRITE)
  @NoContentRoute('Delete a custom scope', 'Deleted')
  @ApiManagementErrors(CustomScopeError, 'validation_failed', 'custom_scope_not_found')
  async remove(@Param('id', ParseUUIDPipe) id: string, @ManagedTenant() scope: TenantScope): Promise<void> {
    if (!(await this.customScopes.remove(scope, id)))
      throw new CustomScopeError('custom_scope_not_found', 'Custom scope not found');
  }
}
