import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { SetPasswordCommand } from '../credentials/commands/set-password.command';
import { ChangeOwnPasswordDto } from '../credentials/dto/password.dto';
import {
  ConfirmTotpCommand,
  RegenerateRecoveryCodesCommand,
  RemoveMfaCommand,
  StartTotpEnrollmentCommand,
} from '../mfa/commands/totp-enrollment.commands';
import { RecoveryCodesView, TotpCodeDto, TotpEnrollmentView } from '../mfa/dto/mfa.dto';
import { UpdateUserCommand } from '../users/commands/update-user.command';
import { ProfileDto } from '../users/dto/profile.dto';
import { UserView } from '../users/dto/user.dto';
import { GetUserQuery } from '../users/queries/user.queries';

const SIGNED_IN = { signedInUser: true } as const;

/** Self-service for the signed-in user: the token's subject is the user, its tenant the scope. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @Authorize(SIGNED_IN)
  @ApiOkResponse({ type: UserView })
  async me(@CurrentPrincipal() me: Principal): Promise<UserView> {
    return UserView.of(await this.queries.execute(new GetUserQuery(me.tenantId!, me.subject)));
  }

  @Put('profile')
  @Authorize(SIGNED_IN)
  @ApiOkResponse({ type: UserView })
  async updateProfile(@Body() profile: ProfileDto, @CurrentPrincipal() me: Principal): Promise<UserView> {
    return UserView.of(
      await this.commands.execute(new UpdateUserCommand(me.tenantId!, me.subject, { profile: { ...profile } })),
    );
  }

  @Post('password')
  @HttpCode(204)
  @Authorize(SIGNED_IN)
  @ApiNoContentResponse({ description: 'Ends the other sessions of the user (password_changed event)' })
  async changePassword(@Body() dto: ChangeOwnPasswordDto, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.commands.execute(
      new SetPasswordCommand({
        tenantId: me.tenantId!,
        userId: me.subject,
        currentPassword: dto.currentPassword,
        newPassword: dto.newPassword,
        actor: me.subject,
      }),
    );
  }

  @Post('mfa/totp')
  @Authorize(SIGNED_IN)
  @ApiCreatedResponse({ type: TotpEnrollmentView, description: 'Step 1: scan the QR code, then confirm with a code' })
  startTotp(@CurrentPrincipal() me: Principal): Promise<TotpEnrollmentView> {
    return this.commands.execute(new StartTotpEnrollmentCommand(me.tenantId!, me.subject));
  }

  @Post('mfa/totp/confirm')
  @HttpCode(200)
  @Authorize(SIGNED_IN)
  @ApiOkResponse({ type: RecoveryCodesView, description: 'Step 2: the first code activates the factor' })
  confirmTotp(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesView> {
    return this.commands.execute(new ConfirmTotpCommand(me.tenantId!, me.subject, dto.code));
  }

  @Delete('mfa/totp')
  @HttpCode(204)
  @Authorize(SIGNED_IN)
  async removeTotp(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.commands.execute(new RemoveMfaCommand(me.tenantId!, me.subject, dto.code, me.subject));
  }

  @Post('mfa/recovery-codes')
  @HttpCode(200)
  @Authorize(SIGNED_IN)
  @ApiOkResponse({ type: RecoveryCodesView, description: 'Replaces all recovery codes' })
  regenerateRecoveryCodes(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesView> {
    return this.commands.execute(new RegenerateRecoveryCodesCommand(me.tenantId!, me.subject, dto.code));
  }
}
