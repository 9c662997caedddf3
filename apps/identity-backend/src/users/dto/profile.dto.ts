import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUrl, Matches, MaxLength } from 'class-validator';
import { OptionalStringField } from '@platform/runtime';
import { NestedField } from '../../common/dto-fields';

const httpsUrl = { protocols: ['https', 'http'], require_protocol: true };

export class AddressDto {
  @OptionalStringField(500) formatted?: string;
  @OptionalStringField(200) street_address?: string;
  @OptionalStringField(100) locality?: string;
  @OptionalStringField(100) region?: string;
  @OptionalStringField(20) postal_code?: string;
  @OptionalStringField(100) country?: string;
}

/** OpenID Connect standard claims (Core §5.1), named as they appear in ID tokens. */
export class ProfileDto {
  @OptionalStringField(200, { example: 'Ada Lovelace' }) name?: string;
  @OptionalStringField(100) given_name?: string;
  @OptionalStringField(100) family_name?: string;
  @OptionalStringField(100) middle_name?: string;
  @OptionalStringField(100) nickname?: string;
  @OptionalStringField(100) preferred_username?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl(httpsUrl) @MaxLength(2048) profile?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl(httpsUrl) @MaxLength(2048) picture?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl(httpsUrl) @MaxLength(2048) website?: string;
  @OptionalStringField(50) gender?: string;

  @ApiPropertyOptional({ example: '1815-12-10' })
  @IsOptional()
  @Matches(/^(\d{4}|0000)(-\d{2}-\d{2})?$/, { message: 'birthdate must be YYYY-MM-DD or YYYY' })
  birthdate?: string;

  @ApiPropertyOptional({ example: 'Europe/London' })
  @IsOptional()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$/, { message: 'zoneinfo must be an IANA time zone name' })
  zoneinfo?: string;

  @ApiPropertyOptional({ example: 'en-GB' })
  @IsOptional()
  @Matches(/^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 language tag' })
  locale?: string;

  @ApiPropertyOptional({ example: '+441234567890' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'phone_number must be E.164, e.g. +441234567890' })
  phone_number?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() phone_number_verified?: boolean;

  @NestedField(AddressDto, { optional: true })
  address?: AddressDto;
}
