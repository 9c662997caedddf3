import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Locale, SUPPORTED_LOCALES } from '@platform/i18n';
import { OptionalStringField, StringField } from '@platform/runtime';
import { IsIn, IsOptional } from 'class-validator';
import { NestedField } from '../../common/dto-fields';

export class EmailTokenDto {
  @StringField([20, 200], { description: 'The token from the emailed link' })
  token!: string;
}

export class RequestPasswordResetDto {
  @StringField([1, 63], { description: 'Tenant id or slug' }) tenant!: string;
  @StringField(320) email!: string;
}

export class MfaProofDto {
  @ApiProperty({ enum: ['totp', 'recovery_code'] }) @IsIn(['totp', 'recovery_code']) method!: 'totp' | 'recovery_code';
  @StringField([6, 32]) code!: string;
}

export class ResetPasswordDto extends EmailTokenDto {
  @StringField(1024) newPassword!: string;

  @NestedField(MfaProofDto, { optional: true, description: 'Required when the account has a second factor' })
  mfa?: MfaProofDto;
}

export class RequestEmailChangeDto {
  @StringField(320, { description: 'The address to move the account to; it receives the confirmation link' })
  newEmail!: string;

  @OptionalStringField(1024, {
    description: 'Re-authentication; may be left out with an access token whose auth_time is at most 5 minutes old',
  })
  currentPassword?: string;
}

/** The hosted self-service pages' requests, relayed by the authorization server with the browser's address. */
export class RelayedRequestDto {
  @StringField(64, { description: "The end user's address as the authorization server saw it (abuse limits)" })
  clientIp!: string;
}

export class InternalAddressRequestDto extends RelayedRequestDto {
  @StringField([1, 63], { description: 'Tenant id or slug' }) tenant!: string;
  @StringField(320) email!: string;
}

export class InternalRegistrationDto extends InternalAddressRequestDto {
  @StringField(1024) password!: string;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, description: "The page's language, kept as the user's locale claim" })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  locale?: Locale;
}
