import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMMON_PROFILE_CLAIMS } from '@platform/contracts';
import { OptionalStringField, StringField } from '@platform/runtime';
import {
  ArrayMaxSize,
  IsBoolean,
  IsObject,
  IsOptional,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { ExternalIdentity } from '../external-identity.entity';
import type { IdentityProvider } from '../identity-provider.entity';

/** Local profile fields an upstream claim may fill. */
export const MAPPABLE_FIELDS = COMMON_PROFILE_CLAIMS;

@ValidatorConstraint({ name: 'claimMapping' })
export class ClaimMappingConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return (
      typeof value === 'object' &&
      value !== null &&
      Object.entries(value).length <= MAPPABLE_FIELDS.length &&
      Object.entries(value).every(
        ([field, claim]) =>
          (MAPPABLE_FIELDS as readonly string[]).includes(field) &&
          typeof claim === 'string' &&
          /^[A-Za-z0-9_.:-]{1,100}$/.test(claim),
      )
    );
  }

  defaultMessage(): string {
    return `claimMapping keys must be among ${MAPPABLE_FIELDS.join(', ')} and values upstream claim names`;
  }
}

const ISSUER_URL = { protocols: ['https', 'http'], require_protocol: true, require_tld: false };

export class CreateIdpDto {
  @ApiProperty({ example: 'corporate-sso' })
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
    message: 'slug must be 1-63 lower-case letters, digits or dashes',
  })
  slug!: string;

  @StringField([1, 200], { example: 'Corporate SSO' }) displayName!: string;
  @ApiProperty({ example: 'https://sso.example.com' }) @IsUrl(ISSUER_URL) @MaxLength(2048) issuer!: string;
  @StringField([1, 255]) clientId!: string;

  @OptionalStringField([1, 1024], { description: 'Write-only: stored sealed, never returned' })
  clientSecret?: string;

  @ApiPropertyOptional({ type: [String], default: ['openid', 'email', 'profile'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { each: true, message: 'each scope must be a valid scope token' })
  scopes?: string[];

  @ApiPropertyOptional({ example: { given_name: 'first_name' } })
  @IsOptional()
  @IsObject()
  @Validate(ClaimMappingConstraint)
  claimMapping?: Record<string, string>;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() jitProvisioning?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() autoLinkVerifiedEmail?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class UpdateIdpDto {
  @OptionalStringField([1, 200]) displayName?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl(ISSUER_URL) @MaxLength(2048) issuer?: string;
  @OptionalStringField([1, 255]) clientId?: string;
  @OptionalStringField([1, 1024], { description: 'Write-only' }) clientSecret?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { each: true, message: 'each scope must be a valid scope token' })
  scopes?: string[];

  @ApiPropertyOptional() @IsOptional() @IsObject() @Validate(ClaimMappingConstraint) claimMapping?: Record<
    string,
    string
  >;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() jitProvisioning?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoLinkVerifiedEmail?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

export class IdpView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() hasClientSecret!: boolean;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) claimMapping!: Record<string, string>;
  @ApiProperty() jitProvisioning!: boolean;
  @ApiProperty() autoLinkVerifiedEmail!: boolean;
  @ApiProperty() enabled!: boolean;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(idp: IdentityProvider): IdpView {
    const { clientSecretSealed, tenant: _tenant, ...visible } = idp;
    return Object.assign(new IdpView(), { ...visible, hasClientSecret: clientSecretSealed !== null });
  }
}

export class ExternalIdentityView {
  @ApiProperty() id!: string;
  @ApiProperty() providerId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty() linkedAt!: Date;
  @ApiProperty({ description: "The provider's display name, as the login page's button says it" })
  providerName!: string;

  @ApiProperty({ description: "The provider's slug" }) providerSlug!: string;

  /** `provider` loaded with the link (the repository does); without it the names fall back to the id. */
  static of({ id, providerId, subject, email, linkedAt, provider }: ExternalIdentity): ExternalIdentityView {
    const providerName = provider?.displayName ?? providerId;
    const providerSlug = provider?.slug ?? providerId;
    return Object.assign(new ExternalIdentityView(), {
      id,
      providerId,
      subject,
      email,
      linkedAt,
      providerName,
      providerSlug,
    });
  }
}

export class ResolveExternalIdentityDto {
  @ApiProperty() @IsUUID() tenantId!: string;
  @ApiProperty() @IsUUID() providerId!: string;
  @StringField([1, 255], { description: 'The upstream sub' }) subject!: string;

  @ApiProperty({ description: 'Claims from the upstream ID token / userinfo' })
  @IsObject()
  claims!: Record<string, unknown>;
}

export class ResolvedExternalIdentityView {
  @ApiProperty() userId!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ enum: ['linked', 'auto_linked', 'provisioned'] }) outcome!: 'linked' | 'auto_linked' | 'provisioned';
  @ApiPropertyOptional({
    type: [String],
    enum: ['passkey'],
    description:
      'The second factor the sign-in still needs: the passkey of an administrator under the tenant policy passkeys: required-for-admins (one without a passkey is refused, 403 `passkey_required`). Absent when none is due.',
  })
  mfaMethods?: 'passkey'[];
}

export class InternalIdpView extends IdpView {
  @ApiPropertyOptional({ description: 'Opened for the authorization server only' }) clientSecret?: string | null;
}
