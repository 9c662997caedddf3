import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, Matches } from 'class-validator';
import { OptionalStringField, OptionalUuidField, StringField } from '@platform/runtime';
import type { ApiKey } from '../api-key.entity';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

export class CreateApiKeyDto {
  @StringField([1, 200], { example: 'Billing export job' }) name!: string;

  @OptionalStringField([1, 100], { description: 'Client the key belongs to (the key then belongs to its tenant too)' })
  clientId?: string;

  @OptionalUuidField({ description: 'Tenant the key belongs to; needed when no clientId is given' })
  tenantId?: string;

  @StringField([1, 2048], {
    example: 'urn:identity-platform:identity-api',
    description: 'Resource server (its identifier) the key is for: the `aud` of what it is exchanged for',
  })
  audience!: string;

  @ApiProperty({ type: [String], example: ['identity.users.read'], description: 'Scopes of that resource server' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(SCOPE_TOKEN, { each: true, message: 'each scope must be a valid scope token' })
  scopes!: string[];

  @ApiPropertyOptional({
    example: '2027-01-31T00:00:00Z',
    description: 'When the key stops working; at most API_KEY_MAX_TTL_SECONDS ahead, which is also the default',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class ApiKeyView {
  @ApiProperty({ description: 'Public id: the key reads `ipk_<id>_<secret>`' }) id!: string;
  @ApiProperty({ example: 'ipk_4f1c2a9b0d3e5f607182', description: 'How the key starts, to recognise it' })
  prefix!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) clientId!: string | null;
  @ApiProperty({ nullable: true, type: String }) tenantId!: string | null;
  @ApiProperty() audience!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: Date;

  static of(key: ApiKey): ApiKeyView {
    return Object.assign(new ApiKeyView(), {
      id: key.id,
      prefix: `ipk_${key.id}`,
      name: key.name,
      clientId: key.clientId,
      tenantId: key.tenantId,
      audience: key.audience,
      scopes: key.scopes,
      expiresAt: key.expiresAt,
      revokedAt: key.revokedAt,
      lastUsedAt: key.lastUsedAt,
      createdBy: key.createdBy,
      createdAt: key.createdAt,
    });
  }
}

export class ApiKeyWithSecretView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself: shown only in this response, stored hashed' }) key!: string;
}

export class ListApiKeysQuery {
  @OptionalStringField([1, 100], { description: "Only this client's keys" })
  clientId?: string;

  @OptionalUuidField({ description: "Only this tenant's keys (callers bound to a tenant only ever see their own)" })
  tenantId?: string;
}
