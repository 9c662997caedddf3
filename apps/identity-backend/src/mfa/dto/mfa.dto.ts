import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, Matches } from 'class-validator';

export class TotpCodeDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits shown by the authenticator app' })
  code!: string;
}

export class TotpEnrollmentView {
  @ApiProperty({ description: 'Base32 secret for manual entry; shown only now' }) secret!: string;
  @ApiProperty() otpauthUri!: string;
  @ApiProperty({ description: 'PNG data URL of a QR code of otpauthUri' }) qrCode!: string;
}

export class RecoveryCodesView {
  @ApiProperty({ type: [String], description: 'Single-use codes; shown only now, stored hashed' })
  recoveryCodes!: string[];
}

export class VerifyMfaDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty() @IsUUID() userId!: string;
  @ApiProperty({ enum: ['totp', 'recovery_code'] }) @IsIn(['totp', 'recovery_code']) method!: 'totp' | 'recovery_code';
  @ApiProperty() @IsString() @Length(6, 32) code!: string;
}
