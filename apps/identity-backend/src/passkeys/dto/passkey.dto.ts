import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { OptionalStringField, OptionalUuidField, StringField } from '@platform/runtime';
import { NestedField } from '../../common/dto-fields';
import type { Passkey } from '../passkey.entity';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const base64url = { message: 'must be base64url' };
/** Client data, attestation objects and signatures stay well below this; bounds what we parse. */
const MAX_BINARY = 16_384;

/** `AuthenticatorAttestationResponse#toJSON()` (WebAuthn Level 3). */
export class AttestationResponseDto {
  @ApiProperty() @IsString() @MaxLength(MAX_BINARY) @Matches(BASE64URL, base64url) clientDataJSON!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_BINARY) @Matches(BASE64URL, base64url) attestationObject!: string;
  @OptionalStringField(MAX_BINARY) authenticatorData?: string;
  @OptionalStringField(MAX_BINARY) publicKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() publicKeyAlgorithm?: number;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  @MaxLength(32, { each: true })
  transports?: ('ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb')[];
}

/** `AuthenticatorAssertionResponse#toJSON()`. */
export class AssertionResponseDto {
  @ApiProperty() @IsString() @MaxLength(MAX_BINARY) @Matches(BASE64URL, base64url) clientDataJSON!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_BINARY) @Matches(BASE64URL, base64url) authenticatorData!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_BINARY) @Matches(BASE64URL, base64url) signature!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) @Matches(BASE64URL, base64url) userHandle?: string;
}

abstract class CredentialDto {
  @StringField([1, 1400], { description: 'Credential id, base64url' })
  @Matches(BASE64URL, base64url)
  id!: string;

  @ApiProperty() @IsString() @Length(1, 1400) @Matches(BASE64URL, base64url) rawId!: string;
  @ApiProperty({ enum: ['public-key'] }) @IsIn(['public-key']) type!: 'public-key';

  @ApiPropertyOptional({ enum: ['platform', 'cross-platform'], nullable: true })
  @IsOptional()
  @IsIn(['platform', 'cross-platform'])
  authenticatorAttachment?: 'platform' | 'cross-platform';

  @ApiProperty({ type: Object }) @IsObject() clientExtensionResults!: Record<string, unknown>;
}

/** What `PublicKeyCredential#toJSON()` gives after `navigator.credentials.create()`. */
export class RegistrationCredentialDto extends CredentialDto {
  @NestedField(AttestationResponseDto)
  response!: AttestationResponseDto;
}

/** What `PublicKeyCredential#toJSON()` gives after `navigator.credentials.get()`. */
export class AssertionCredentialDto extends CredentialDto {
  @NestedField(AssertionResponseDto)
  response!: AssertionResponseDto;
}

export class FinishPasskeyRegistrationDto {
  @StringField([1, 100], { example: 'Work laptop', description: 'Shown in the list of my passkeys' })
  name!: string;

  @NestedField(RegistrationCredentialDto)
  credential!: RegistrationCredentialDto;
}

export class RenamePasskeyDto {
  @StringField([1, 100], { example: 'Phone' }) name!: string;
}

export class PasskeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt!: Date | null;
  @ApiProperty({ description: 'Synced (a cloud keychain may hold copies) rather than bound to one device' })
  synced!: boolean;
  @ApiProperty({ description: 'Authenticator model (AAGUID; zeros when it does not say)' }) aaguid!: string;

  static of(p: Passkey): PasskeyView {
    return {
      id: p.id,
      name: p.name,
      createdAt: p.createdAt,
      lastUsedAt: p.lastUsedAt,
      synced: p.backedUp || p.deviceType === 'multiDevice',
      aaguid: p.aaguid,
    };
  }
}

export class PasskeyAuthenticationOptionsDto {
  @StringField([1, 63], { description: 'Tenant id or slug' }) tenant!: string;

  @OptionalUuidField({ description: 'Second factor after a password: this user' })
  userId?: string;

  @OptionalStringField([1, 320], {
    description: 'A login (email or username) typed first; unknown ones get discoverable options',
  })
  login?: string;
}

export class VerifyPasskeyDto {
  @StringField([1, 63], { description: 'Tenant id or slug' }) tenant!: string;

  @NestedField(AssertionCredentialDto)
  credential!: AssertionCredentialDto;
}
