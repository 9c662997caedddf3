import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { VerifyCredentialsCommand } from '../credentials/commands/verify-credentials.command';
import { VerifiedCredentialsView, VerifyCredentialsDto } from './internal.dto';

/** Only the authorization server's service token (scope identity.internal) may call these. */
const INTERNAL = { scopes: ['identity.internal'] } as const;

@ApiTags('internal')
@ApiBearerAuth()
@Controller('internal/v1')
export class InternalController {
  constructor(private readonly commands: CommandBus) {}

  @Post('credentials/verify')
  @HttpCode(200)
  @Authorize(INTERNAL)
  @ApiOperation({ summary: 'Check a password sign-in (lockout, throttling, re-hash on login)' })
  @ApiOkResponse({ type: VerifiedCredentialsView })
  @ApiUnauthorizedResponse({ description: 'invalid_credentials: the same for unknown, wrong, locked and disabled' })
  verifyCredentials(@Body() dto: VerifyCredentialsDto): Promise<VerifiedCredentialsView> {
    return this.commands.execute(new VerifyCredentialsCommand(dto.tenant, dto.login, dto.password, dto.clientIp));
  }
}
