import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIP, IsString, IsUUID, Length, MaxLength } from 'class-validator';

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
}

export class InternalTenantView {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: InternalBrandingView }) branding!: InternalBrandingView;
}

export class InternalPasswordChangeDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty() @IsString() @MaxLength(1024) newPassword!: string;
}
