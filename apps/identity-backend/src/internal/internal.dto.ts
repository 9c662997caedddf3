import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsIP, IsObject, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { NestedField } from '../common/dto-fields';

export class DeviceClaimDto {
  @ApiProperty({ description: 'The random id of the device cookie' })
  @Matches(/^[A-Za-z0-9_-]{16,64}$/)
  deviceId!: string;

  @ApiProperty({ description: 'The user the device cookie was issued to' })
  @IsUUID()
  userId!: string;
}

export class VerifyCredentialsDto {
  @ApiProperty({ description: 'Tenant id or slug' })
  @IsString()
  @Length(1, 63)
  tenant!: string;

  @ApiProperty({ description: 'Email address or username' })
  @IsString()
  @Length(1, 320)
  login!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;

  @ApiProperty({ description: "The end user's IP address, for per-IP throttling" })
  @IsIP()
  clientIp!: string;

  @NestedField(DeviceClaimDto, {
    optional: true,
    description:
      "The claim of the browser's device cookie (signature already checked by the authorization server). A sign-in " +
      'resolving to that user skips the per-IP throttle and the lock untrusted clients caused, until the device fails too often',
  })
  device?: DeviceClaimDto;
}

export class VerifiedCredentialsView {
  @ApiProperty() userId!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: ['active'] }) status!: 'active';
  @ApiProperty() mfaRequired!: boolean;
  @ApiProperty({ type: [String], example: ['totp', 'recovery_code'] }) mfaMethods!: string[];
  @ApiProperty({ type: [String], example: ['pwd'] }) amr!: string[];
  @ApiProperty() mustChangePassword!: boolean;
}

export class InternalBrandingView {
  @ApiPropertyOptional({ nullable: true, type: String }) logoUrl!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) primaryColor!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) customCssUrl?: string | null;
}

export class InternalTenantView {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: InternalBrandingView }) branding!: InternalBrandingView;
  @ApiProperty({ description: 'Whether the login page offers "Create account"' }) selfRegistration!: boolean;
  @ApiProperty({ description: 'Whether sign-ins from a new device are mailed to the user' }) newDeviceAlerts!: boolean;
  @ApiProperty({ description: 'Whether a remembered browser skips the second factor' })
  allowMfaBypassOnTrustedDevice!: boolean;

  @ApiProperty({ description: 'How many days "Remember this device" trusts a browser' }) trustDurationDays!: number;
}

export class InternalPasswordChangeDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPassword!: string;
}

export class NewDeviceSignInDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty({ description: "The browser's User-Agent; only its browser and system reach the mail" })
  @IsString()
  @MaxLength(512)
  userAgent!: string;

  @ApiProperty({ description: 'When the sign-in completed (ISO 8601)' }) @IsISO8601() signedInAt!: string;
}

export class LinkExternalIdentityDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty({ description: 'The signed-in user who links the account' }) @IsUUID() userId!: string;
  @ApiProperty() @IsUUID() providerId!: string;
  @ApiProperty({ description: 'The upstream sub' }) @IsString() @Length(1, 255) subject!: string;

  @ApiProperty({ description: 'Claims from the upstream ID token / userinfo' })
  @IsObject()
  claims!: Record<string, unknown>;
}
