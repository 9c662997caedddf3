import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { PasskeyRequestOptionsJSON } from '@platform/contracts';
import { Authorize } from '@platform/resource-server';
import { OkRoute } from '@platform/runtime';
import type { VerifiedCredentials } from '../credentials/commands/verify-credentials.command';
import { VerifiedCredentialsView } from '../internal/internal.dto';
import { StartPasskeyAuthenticationCommand, VerifyPasskeyCommand } from './commands/passkey-sign-in.commands';
import { PasskeyAuthenticationOptionsDto, VerifyPasskeyDto } from './dto/passkey.dto';
import { ApiPasskeyErrors, PasskeyErrorCode as E } from './passkey-error';

/** Only the authorization server's service token (scope identity.internal) may call these. */
const INTERNAL = { scopes: ['identity.internal'] } as const;

/** Passkey sign-in for the hosted login (beside credentials/verify). */
@ApiTags('internal')
@ApiBearerAuth()
@Controller('internal/v1/passkeys')
export class PasskeysInternalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('authentication-options')
  @Authorize(INTERNAL)
  @OkRoute('Options for navigator.credentials.get(): discoverable (no user), a login, or a second factor (userId)', {
    description: 'PublicKeyCredentialRequestOptionsJSON; its challenge is single use, 5 minutes',
  })
  @ApiPasskeyErrors(E.PasskeysDisabled)
  authenticationOptions(@Body() dto: PasskeyAuthenticationOptionsDto): Promise<PasskeyRequestOptionsJSON> {
    return this.commands.execute(
      new StartPasskeyAuthenticationCommand(dto.tenant, { userId: dto.userId, login: dto.login }),
    );
  }

  @Post('verify')
  @Authorize(INTERNAL)
  @OkRoute('Passwordless sign-in with a passkey; answers like credentials/verify (amr hwk|swk, mfa)', {
    type: VerifiedCredentialsView,
  })
  @ApiUnauthorizedResponse({
    description:
      'invalid_passkey (unknown, other tenant, bad signature, used or expired challenge), passkey_counter_regression ' +
      '(a cloned authenticator: audited), account_locked',
  })
  @ApiPasskeyErrors(E.PasskeysDisabled)
  verify(@Body() dto: VerifyPasskeyDto): Promise<VerifiedCredentials> {
    return this.commands.execute(new VerifyPasskeyCommand(dto.tenant, dto.credential));
  }
}
