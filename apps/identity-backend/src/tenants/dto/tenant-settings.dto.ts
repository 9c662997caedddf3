import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsOptional, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { type Locale, SUPPORTED_LOCALES } from '@platform/i18n';
import { OptionalStringField } from '@platform/runtime';
import { NestedField } from '../../common/dto-fields';

export class BrandingDto {
  @ApiPropertyOptional({ nullable: true, example: 'https://cdn.example.com/logo.svg' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2048)
  logoUrl?: string | null;

  @ApiPropertyOptional({ nullable: true, example: '#3355ff' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'primaryColor must be a #rrggbb colour' })
  primaryColor?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'https://cdn.example.com/login-theme.css',
    description:
      "A stylesheet of the tenant's own for its hosted pages; https only, its origin joins their CSP style-src",
  })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2048)
  customCssUrl?: string | null;
}

export class PasswordPolicyDto {
  @ApiPropertyOptional({ minimum: 8, maximum: 128, default: 12 })
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(128)
  minLength?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 24, default: 5, description: 'Previous passwords that cannot be reused' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  historySize?: number;
}

export class LockoutPolicyDto {
  @ApiPropertyOptional({ minimum: 3, maximum: 100, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(100)
  maxFailedAttempts?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  lockSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 86400, default: 900 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  maxLockSeconds?: number;
}

export class TenantSettingsDto {
  @NestedField(BrandingDto, { optional: true })
  branding?: BrandingDto;

  @NestedField(PasswordPolicyDto, { optional: true })
  passwordPolicy?: PasswordPolicyDto;

  @NestedField(LockoutPolicyDto, { optional: true })
  lockoutPolicy?: LockoutPolicyDto;

  @ApiPropertyOptional({ enum: ['optional', 'required'] })
  @IsOptional()
  @IsIn(['optional', 'required'])
  mfaPolicy?: 'optional' | 'required';

  @ApiPropertyOptional({ type: [String], example: ['example.com'], description: 'Empty: any domain' })
  @IsOptional()
  @ArrayMaxSize(100)
  @Matches(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    each: true,
    message: 'allowedEmailDomains must be lower-case domain names',
  })
  allowedEmailDomains?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  selfRegistration?: boolean;

  @OptionalStringField(100, { nullable: true, description: 'Role name given to self-registered users' })
  defaultRole?: string | null;

  @ApiPropertyOptional({ default: false, description: 'Sign-in completes only after the email address is verified' })
  @IsOptional()
  @IsBoolean()
  requireVerifiedEmail?: boolean;

  @ApiPropertyOptional({ enum: SUPPORTED_LOCALES, default: 'en', description: 'For users without a locale claim' })
  @IsOptional()
  @IsIn(SUPPORTED_LOCALES)
  defaultLocale?: Locale;

  @ApiPropertyOptional({ nullable: true, example: 'https://example.com/terms', description: 'Linked from sign-up' })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2048)
  termsUrl?: string | null;

  @ApiPropertyOptional({
    enum: ['off', 'allowed', 'required-for-admins'],
    default: 'allowed',
    description:
      'Passkeys (WebAuthn) for sign-in and as a second factor; required-for-admins: holders of a *:write permission',
  })
  @IsOptional()
  @IsIn(['off', 'allowed', 'required-for-admins'])
  passkeys?: 'off' | 'allowed' | 'required-for-admins';

  @ApiPropertyOptional({
    default: false,
    description: 'Mail users when they sign in from a browser or device not used with their account before',
  })
  @IsOptional()
  @IsBoolean()
  newDeviceAlerts?: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 365,
    default: 30,
    description: 'How many days "Remember this device" on the two-step verification page trusts a browser',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  trustDurationDays?: number;

  @ApiPropertyOptional({
    default: false,
    description:
      'Offer "Remember this device" at the second factor; a remembered browser then skips it at the same user’s next sign-ins (never when the app asks for the multi-factor acr)',
  })
  @IsOptional()
  @IsBoolean()
  allowMfaBypassOnTrustedDevice?: boolean;
}
