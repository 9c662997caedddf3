import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import type { OAuthClient } from '../oauth-client.entity';

export const CLIENT_TYPES = ['service', 'confidential', 'spa', 'native'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

export class CreateClientDto {
  @ApiProperty({ example: 'Partner billing sync' }) @IsString() @Length(1, 200) name!: string;

  @ApiProperty({
    enum: CLIENT_TYPES,
    description: 'service: client credentials; confidential: web app with a secret; spa/native: public, PKCE',
  })
  @IsIn(CLIENT_TYPES)
  type!: ClientType;

  @ApiPropertyOptional({
    type: [String],
    description: 'Exact-match redirect URIs (native apps may use http://127.0.0.1 with any port)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { each: true })
  redirectUris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] }, { each: true })
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({ type: [String], example: ['identity.users.read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SCOPE_TOKEN, { each: true, message: 'each scope must be a valid scope token' })
  scopes?: string[];

  @ApiPropertyOptional({ description: 'Tenant the client belongs to; its tokens carry tenant_id' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ description: 'First-party client: consent is skipped', default: false })
  @IsOptional()
  @IsBoolean()
  trusted?: boolean;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ description: 'How long the previous secret keeps working', default: 86400, maximum: 2592000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600)
  overlapSeconds?: number;
}

export class ClientView {
  @ApiProperty() clientId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty({ description: 'Registered metadata (RFC 7591), never a secret' }) metadata!: Record<string, unknown>;
  @ApiProperty() hasSecret!: boolean;
  @ApiProperty() createdAt!: Date;

  static of(client: OAuthClient): ClientView {
    return Object.assign(new ClientView(), {
      clientId: client.clientId,
      name: client.name,
      tenantId: client.tenantId,
      metadata: client.metadata,
      hasSecret: client.secretHash !== null,
      createdAt: client.createdAt,
    });
  }
}

export class ClientWithSecretView extends ClientView {
  @ApiPropertyOptional({ description: 'Shown only in this response; stored hashed' }) clientSecret?: string;
}
