import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { OptionalStringField, StringField } from '@platform/runtime';
import type { Tenant, TenantStatus } from '../tenant.entity';
import { resolveTenantSettings, type TenantSettings } from '../tenant-settings';
import { TenantSettingsDto } from './tenant-settings.dto';
import { NestedField } from '../../common/dto-fields';

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', description: 'Lower-case letters, digits and dashes; unique; immutable' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'slug must be 1-63 lower-case letters, digits or dashes',
  })
  slug!: string;

  @StringField([1, 200], { example: 'Acme Corp' })
  displayName!: string;

  @NestedField(TenantSettingsDto, { optional: true })
  settings?: TenantSettingsDto;
}

export class UpdateTenantDto {
  @OptionalStringField([1, 200])
  displayName?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: TenantStatus;
}

export class TenantView {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: TenantStatus;
  @ApiProperty({ type: TenantSettingsDto }) settings!: TenantSettings;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(tenant: Tenant): TenantView {
    const { id, slug, displayName, status, createdAt, updatedAt } = tenant;
    const settings = resolveTenantSettings(tenant.settings);
    return Object.assign(new TenantView(), { id, slug, displayName, status, settings, createdAt, updatedAt });
  }
}
