import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { AssertionCredentialDto } from '../../passkeys/dto/passkey.dto';

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
  @ApiProperty({ enum: ['totp', 'recovery_code', 'passkey'] })
  @IsIn(['totp', 'recovery_code', 'passkey'])
  method!: 'totp' | 'recovery_code' | 'passkey';

  @ApiPropertyOptional({ description: 'The TOTP or recovery code (not for a passkey)' })
  @ValidateIf((dto: VerifyMfaDto) => dto.method !== 'passkey')
  @IsString()
  @Length(6, 32)
  code?: string;

  @ApiPropertyOptional({
    type: AssertionCredentialDto,
    description:
      'method passkey: the assertion to options from /internal/v1/passkeys/authentication-options with userId',
  })
  @ValidateIf((dto: VerifyMfaDto) => dto.method === 'passkey')
  @ValidateNested()
  @Type(() => AssertionCredentialDto)
  passkey?: AssertionCredentialDto;
}
