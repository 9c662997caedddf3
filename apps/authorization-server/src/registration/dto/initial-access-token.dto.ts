import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { OptionalUuidField } from '@platform/runtime';
import type { InitialAccessTokenRow } from '../initial-access-tokens.repository';

export const DEFAULT_INITIAL_ACCESS_TOKEN_TTL = 7 * 24 * 3600;
const MAX_TTL = 90 * 24 * 3600;

export class CreateInitialAccessTokenDto {
  @OptionalUuidField({ description: "The caller's tenant unless a platform administrator names one (required then)" })
  tenantId?: string;

  @ApiPropertyOptional({ default: DEFAULT_INITIAL_ACCESS_TOKEN_TTL, minimum: 60, maximum: MAX_TTL })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(MAX_TTL)
  expiresInSeconds?: number;

  @ApiPropertyOptional({ description: 'How many clients it may register (unlimited until it expires if unset)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxUses?: number;
}

export class InitialAccessTokenView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ nullable: true, type: Number }) maxUses!: number | null;
  @ApiProperty() uses!: number;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;

  static of(row: InitialAccessTokenRow): InitialAccessTokenView {
    const { id, tenantId, maxUses, uses, createdBy } = row;
    const createdAt = row.createdAt.toISOString();
    const expiresAt = row.expiresAt ? new Date(row.expiresAt).toISOString() : null;
    return Object.assign(new InitialAccessTokenView(), {
      id,
      tenantId,
      maxUses,
      uses,
      createdBy,
      createdAt,
      expiresAt,
    });
  }
}

export class InitialAccessTokenWithValueView extends InitialAccessTokenView {
  @ApiProperty({ description: 'The bearer token for POST /reg; shown only in this response' }) token!: string;
}
