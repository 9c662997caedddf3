import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { Authorize } from '@platform/resource-server';
import { ApiError } from '@platform/runtime';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { DataSource } from 'typeorm';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { ResourceServer } from './resource-server.entity';
import { ResourceServers } from './resource-servers';

export class CreateResourceServerDto {
  @ApiProperty({ example: 'https://api.partner.example', description: 'Resource indicator: the `aud` of its tokens' })
  @IsString()
  @Length(3, 2048)
  @Matches(/^(https?:\/\/[^\s#]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s#]+)$/i, {
    message: 'identifier must be an absolute URI without fragment',
  })
  identifier!: string;

  @ApiProperty() @IsString() @Length(1, 200) name!: string;

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
}

const READ = { scopes: ['authz.apis.read'], permissions: ['authz-apis:read'] } as const;
const WRITE = { scopes: ['authz.apis.write'], permissions: ['authz-apis:write'] } as const;

/** APIs tokens are issued for. A change rebuilds the provider so new scopes are accepted at once. */
@ApiTags('resource servers')
@ApiBearerAuth()
@Controller('api/v1/resource-servers')
export class ResourceServersController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly servers: ResourceServers,
    private readonly oidc: OidcProviderHolder,
  ) {}

  @Post()
  @Authorize(WRITE)
  @ApiCreatedResponse({ type: ResourceServer })
  async create(@Body() dto: CreateResourceServerDto): Promise<ResourceServer> {
    try {
      const saved = await this.dataSource.manager.save(
        ResourceServer,
        Object.assign(new ResourceServer(), {
          tokenFormat: 'jwt',
          accessTokenTtl: 900,
          includePermissions: false,
          ...dto,
        }),
      );
      await this.changed();
      return saved;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new ApiError(409, 'resource_server_exists', 'A resource server with this identifier exists');
      throw error;
    }
  }

  @Get()
  @Authorize(READ)
  @ApiOkResponse({ type: [ResourceServer] })
  list(): Promise<ResourceServer[]> {
    return this.dataSource.manager.find(ResourceServer, { order: { createdAt: 'ASC' } });
  }

  @Delete(':identifier')
  @HttpCode(204)
  @Authorize(WRITE)
  async remove(@Param('identifier') identifier: string): Promise<void> {
    const result = await this.dataSource.manager.delete(ResourceServer, { identifier });
    if (!result.affected) throw new ApiError(404, 'resource_server_not_found', 'Resource server not found');
    await this.changed();
  }

  private async changed(): Promise<void> {
    this.servers.forget();
    await this.oidc.reload();
  }
}
