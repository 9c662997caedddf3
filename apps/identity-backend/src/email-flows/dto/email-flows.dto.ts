import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Locale, SUPPORTED_LOCALES } from '@platform/i18n';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { NestedField } from '../../common/dto-fields';

export class EmailTokenDto {
  @ApiProperty({ description: 'The token from the emailed link' })
  @IsString()
  @Length(20, 200)
  token!: string;
}

export class RequestPasswordResetDto {
  @ApiProperty({ description: 'Tenant id or slug' }) @IsString() @Length(1, 63) tenant!: string;
  @ApiProperty() @IsString() @MaxLength(320) email!: string;
}

export class MfaProofDto {
  @ApiProperty({ enum: ['totp', 'recovery_code'] }) @IsIn(['totp', 'recovery_code']) method!: 'totp' | 'recovery_code';
  @ApiProperty() @IsString() @Length(6, 32) code!: string;
}

export class ResetPasswordDto extends EmailTokenDto {
  @ApiProperty() @IsString() @MaxLength(1024) newPassword!: string;

  @NestedField(MfaProofDto, { optional: true, description: 'Required when the account has a second factor' })
  mfa?: MfaProofDto;
}

export class RequestEmailChangeDto {
  @ApiProperty({ description: 'The address to move the account to; it receives the confirmation link' })
  @IsString()
  @MaxLength(320)
  newEmail!: string;

  @ApiPropertyOptional({
    description: 'Re-authentication; may be left out with an access token whose auth_time is at most 5 minutes old',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  currentPassword?: string;
}

/** The hosted self-service pages' requests, relayed by the authorization server with the browser's address. */
export class RelayedRequestDto {
  @ApiProperty({ description: "The end user's address as the authorization server saw it (abuse limits)" })
  @IsString()
  @MaxLength(64)
  clientIp!: string;
}

export class InternalAddressRequestDto extends RelayedRequestDto {
  @ApiProperty({ description: 'Tenant id or slug' }) @IsString() @Length(1, 63) tenant!: string;
  @ApiProperty() @IsString() @MaxLength(320) email!: string;
}

export class InternalRegistrationDto extends InternalAddressRequestDto {
  @ApiProperty() @IsString() @MaxLength(1024) password!: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "The page's language, kept as the user's locale claim" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;
}
