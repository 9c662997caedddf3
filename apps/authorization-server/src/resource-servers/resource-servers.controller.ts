import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags, OmitType, PartialType } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute, OptionalStringField, StringField } from '@platform/runtime';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../keys/signing-key.entity';
import { PlatformAdminOnly } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { ResourceServerErrorCode, ResourceServersApiError } from './resource-server-errors';
import { ResourceServerView } from './resource-server.view';
import { ResourceServersService } from './resource-servers.service';

export class CreateResourceServerDto {
  @StringField([3, 2048], {
    example: 'https://api.partner.example',
    description: 'Resource indicator: the `aud` of its tokens',
  })
  @Matches(/^(https?:\/\/[^\s#]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s#]+)$/i, {
    message: 'identifier must be an absolute URI without fragment',
  })
  identifier!: string;

  @StringField([1, 200]) name!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { each: true, message: 'each scope must be a valid scope token' })
  scopes!: string[];

  @ApiPropertyOptional({ enum: ['jwt', 'opaque'], default: 'jwt' })
  @IsOptional()
  @IsIn(['jwt', 'opaque'])
  tokenFormat?: 'jwt' | 'opaque';
  @ApiPropertyOptional({ default: 900 }) @IsOptional() @IsInt() @Min(60) @Max(86_400) accessTokenTtl?: number;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() includePermissions?: boolean;

  // Keys and values are checked against `scopes` by the service (a 400 invalid_scope_permissions).
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'reports.read': ['reports:read'] },
    description:
      'Which permissions (resource:action) each scope covers: a user token holds only the permissions of the user that the scopes granted in it map to; a scope that maps nothing carries no permissions or roles',
  })
  @IsOptional()
  @IsObject()
  scopePermissions?: Record<string, string[]>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'reports.read': 'Read your reports' },
    description: 'What each scope allows, in words, for the consent pages (default: the scope name)',
  })
  @IsOptional()
  @IsObject()
  scopeDescriptions?: Record<string, string>;

  @ApiPropertyOptional({
    enum: SIGNING_ALGORITHMS,
    default: 'ES256',
    description: 'Algorithm of its JWT access tokens (RS256 for RSA-only verifiers)',
  })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  signingAlg?: SigningAlgorithm;

  // Checked by the service: a confidential client (with a secret or keys) that exists (400 invalid_introspection_client).
  @OptionalStringField([1, 100], {
    nullable: true,
    type: String,
    description:
      "A confidential client of this API's own: it may introspect every access token issued for this API (RFC 7662 §2.1), whichever client the token was issued to; null removes it",
  })
  introspectionClientId?: string | null;
}

/** Every field but the identifier; what is named replaces what was there. */
export class UpdateResourceServerDto extends PartialType(OmitType(CreateResourceServerDto, ['identifier'] as const)) {}

const READ = { scopes: ['authz.apis.read'], permissions: ['authz-apis:read'] } as const;
const WRITE = { scopes: ['authz.apis.write'], permissions: ['authz-apis:write'] } as const;
/** What a registration or a change may be refused for: its body. */
const BODY_ERRORS = [
  'platform_admin_required',
  'validation_failed',
  ResourceServerErrorCode.InvalidScopePermissions,
  ResourceServerErrorCode.InvalidIntrospectionClient,
] as const;

/** APIs tokens are issued for. A change rebuilds the provider so new scopes are accepted at once. */
@ApiTags('resource servers')
@ApiBearerAuth()
@PlatformAdminOnly()
@Controller('api/v1/resource-servers')
export class ResourceServersController {
  constructor(private readonly servers: ResourceServersService) {}

  @Post()
  @Authorize(WRITE)
  @CreatedRoute('Register an API', { type: ResourceServerView })
  @ApiManagementErrors(ResourceServersApiError, ...BODY_ERRORS, ResourceServerErrorCode.Exists)
  async create(@Body() dto: CreateResourceServerDto): Promise<ResourceServerView> {
    return ResourceServerView.of(await this.servers.create(dto));
  }

  @Get()
  @Authorize(READ)
  @OkRoute('List the APIs', { type: [ResourceServerView] })
  @ApiManagementErrors(ResourceServersApiError, 'platform_admin_required')
  async list(): Promise<ResourceServerView[]> {
    return (await this.servers.list()).map(ResourceServerView.of);
  }

  @Get(':identifier')
  @Authorize(READ)
  @OkRoute('Get an API', { type: ResourceServerView })
  @ApiManagementErrors(ResourceServersApiError, 'platform_admin_required', ResourceServerErrorCode.NotFound)
  async get(@Param('identifier') identifier: string): Promise<ResourceServerView> {
    return ResourceServerView.of(await this.servers.get(identifier));
  }

  @Patch(':identifier')
  @Authorize(WRITE)
  @OkRoute('Change an API', { type: ResourceServerView })
  @ApiManagementErrors(ResourceServersApiError, ...BODY_ERRORS, ResourceServerErrorCode.NotFound)
  async update(
    @Param('identifier') identifier: string,
    @Body() dto: UpdateResourceServerDto,
  ): Promise<ResourceServerView> {
    return ResourceServerView.of(await this.servers.update(identifier, dto));
  }

  @Delete(':identifier')
  @Authorize(WRITE)
  @NoContentRoute('Delete an API', 'Deleted')
  @ApiManagementErrors(ResourceServersApiError, 'platform_admin_required', ResourceServerErrorCode.NotFound)
  remove(@Param('identifier') identifier: string): Promise<void> {
    return this.servers.remove(identifier);
  }
}
