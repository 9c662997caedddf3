import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from './signing-key.entity';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import { PlatformAdminOnly } from '../access/management-access';
import { ApiManagementErrors } from '../access/api-errors';
import { SigningKeyError, SigningKeyErrorCode } from './signing-key-errors';
import { SigningKeys } from './signing-keys.service';

export class RotateKeysDto {
  @ApiPropertyOptional({
    enum: SIGNING_ALGORITHMS,
    description: 'Rotate only this key family (e.g. after a suspected compromise); default: every family',
  })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  alg?: SigningAlgorithm;
}

const KEYS_READ = { scopes: ['authz.keys.read'], permissions: ['authz-keys:read'] } as const;
const KEYS_WRITE = { scopes: ['authz.keys.write'], permissions: ['authz-keys:write'] } as const;

/** Platform-wide: one set of keys signs every tenant's tokens. */
@ApiTags('signing keys')
@ApiBearerAuth()
@PlatformAdminOnly()
@Controller('api/v1/signing-keys')
export class SigningKeysController {
  constructor(private readonly keys: SigningKeys) {}

  @Get()
  @Authorize(KEYS_READ)
  @OkRoute('List the signing keys', {
    description: 'Key ids, algorithms, status (next/active/retired) and public keys; never private material',
  })
  @ApiManagementErrors(SigningKeyError, 'platform_admin_required')
  async list() {
    return (await this.keys.list()).map(({ kid, alg, status, publicJwk, createdAt, activatedAt, retiredAt }) => ({
      kid,
      alg,
      status,
      publicJwk,
      createdAt,
      activatedAt,
      retiredAt,
    }));
  }

  @Post('rotate')
  @Authorize(KEYS_WRITE)
  @OkRoute('Rotate the signing keys', {
    description:
      'Per key family (RS256, ES256, EdDSA): next becomes active, active is retired (still published), a new next is published',
  })
  @ApiManagementErrors(
    SigningKeyError,
    'validation_failed',
    'platform_admin_required',
    SigningKeyErrorCode.RotationInProgress,
  )
  async rotate(@CurrentPrincipal() actor: Principal, @Body() dto: RotateKeysDto = {}) {
    // Every replica publishes the new key set and signs with the new active keys within a second.
    return this.keys.rotate(actor.subject, dto.alg);
  }
}
