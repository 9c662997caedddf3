import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsUUID, Validate, ValidateIf } from 'class-validator';
import type { IdentityProvider } from '../identity-provider.entity';
import { ClaimMappingConstraint } from './idp.dto';

/** How an identity provider's users become local users (seed 002's `/idps/{id}/federation`). */
export class IdpFederationDto {
  @ApiProperty({ description: 'Create a local user on first sign-in when no account is linked' })
  @IsBoolean()
  jitProvisioning!: boolean;

  @ApiProperty({
    description:
      'Linking policy: link to an existing account with the same address when the provider says it is verified',
  })
  @IsBoolean()
  autoLinkVerifiedEmail!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { given_name: 'first_name' },
    description: 'Our profile field -> upstream claim name',
  })
  @IsObject()
  @Validate(ClaimMappingConstraint)
  claimMapping!: Record<string, string>;

  @ApiProperty({ type: String, nullable: true, description: 'A role of the tenant given to every provisioned user' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  defaultRoleId!: string | null;

  static of(idp: IdentityProvider): IdpFederationDto {
    const { jitProvisioning, autoLinkVerifiedEmail, claimMapping, defaultRoleId } = idp;
    return Object.assign(new IdpFederationDto(), {
      jitProvisioning,
      autoLinkVerifiedEmail,
      claimMapping,
      defaultRoleId,
    });
  }
}
