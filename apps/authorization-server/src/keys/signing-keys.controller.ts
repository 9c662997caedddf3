import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { SigningKeys } from './signing-keys.service';

const KEYS_READ = { scopes: ['authz.keys.read'], permissions: ['authz-keys:read'] } as const;
const KEYS_WRITE = { scopes: ['authz.keys.write'], permissions: ['authz-keys:write'] } as const;

@ApiTags('signing keys')
@ApiBearerAuth()
@Controller('api/v1/signing-keys')
export class SigningKeysController {
  constructor(
    private readonly keys: SigningKeys,
    private readonly provider: OidcProviderHolder,
  ) {}

  @Get()
  @Authorize(KEYS_READ)
  @ApiOkResponse({
    description: 'Key ids, algorithms, status (next/active/retired) and public keys; never private material',
  })
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
  @HttpCode(200)
  @Authorize(KEYS_WRITE)
  @ApiOkResponse({ description: 'next becomes active, active is retired (still published), a new next is published' })
  async rotate(@CurrentPrincipal() actor: Principal) {
    const result = await this.keys.rotate(actor.subject);
    await this.provider.reload();
    return result;
  }
}
