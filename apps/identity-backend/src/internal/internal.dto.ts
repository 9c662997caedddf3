import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIP, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

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

  @ApiPropertyOptional({
    type: DeviceClaimDto,
    description:
      "The claim of the browser's device cookie (signature already checked by the authorization server). A sign-in " +
      'resolving to that user skips the per-IP throttle and the lock untrusted clients caused, until the device fails too often',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => DeviceClaimDto)
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
}

export class InternalPasswordChangeDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPassword!: string;
}
