import { Body, Controller, Delete, Get, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal, type Principal } from '@platform/resource-server';
import { CreatedRoute, NoContentRoute, OkRoute } from '@platform/runtime';
import { IdentityErrorCode as E } from '../common/identity-error';
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
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { GetTenantQuery } from '../tenants/queries/tenant.queries';
import { GetUserQuery } from '../users/queries/user.queries';
import { ApiIdentityErrors } from './api-errors';
import { DeleteMyAccountCommand, REAUTHENTICATION_MAX_AGE_SECONDS } from './delete-my-account.command';
import { DeleteMyAccountDto } from './delete-my-account.dto';
import { MfaStatusView, MyMfaStatusQuery } from './mfa-status.query';
import { PasswordPolicyView } from './password-policy.view';
import { NotWhileImpersonated } from '../impersonation/impersonation-guard';
import { ApiErrors, Refusal } from '../common/api-responses';

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
  @OkRoute('My account: profile, email, status, MFA', { type: UserView })
  @ApiIdentityErrors(E.UserNotFound)
  async me(@CurrentPrincipal() me: Principal): Promise<UserView> {
    return UserView.of(await this.queries.execute(new GetUserQuery(me.tenantId!, me.subject)));
  }

  @Put('profile')
  @Authorize(SIGNED_IN)
  @OkRoute('Change my profile (OIDC standard claims: names, picture URL, locale, …)', { type: UserView })
  @ApiIdentityErrors(E.UserNotFound, E.InvalidCharacters)
  async updateProfile(@Body() profile: ProfileDto, @CurrentPrincipal() me: Principal): Promise<UserView> {
    return UserView.of(
      await this.commands.execute(new UpdateUserCommand(me.tenantId!, me.subject, { profile: { ...profile } })),
    );
  }

  @Get('password-policy')
  @ApiErrors(Refusal.noBearerToken, Refusal.userNotFound)
  @Authorize(SIGNED_IN)
  @OkRoute("My organisation's password policy, to list before I choose a new password", { type: PasswordPolicyView })
  async passwordPolicy(@CurrentPrincipal() me: Principal): Promise<PasswordPolicyView> {
    const tenant = await this.queries.execute(new GetTenantQuery(me.tenantId!));
    return PasswordPolicyView.of(resolveTenantSettings(tenant.settings).passwordPolicy);
  }

  @Post('password')
  @Authorize(SIGNED_IN)
  @NoContentRoute(
    'Change my password (the current one is required)',
    'Ends the other sessions of the user (password_changed event)',
  )
  @ApiIdentityErrors(E.InvalidCredentials, E.WeakPassword, E.PasswordReused, E.UserNotFound)
  @NotWhileImpersonated('password change')
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

  @Get('mfa')
  @Authorize(SIGNED_IN)
  @OkRoute('My second factors: authenticator app enrolled, recovery codes left', { type: MfaStatusView })
  @ApiIdentityErrors()
  mfa(@CurrentPrincipal() me: Principal): Promise<MfaStatusView> {
    return this.queries.execute(new MyMfaStatusQuery(me.subject));
  }

  @Post('mfa/totp')
  @Authorize(SIGNED_IN)
  @CreatedRoute('Start TOTP enrolment: a new secret and its otpauth:// URI for the QR code', {
    type: TotpEnrollmentView,
    description: 'Step 1: scan the QR code, then confirm with a code',
  })
  @ApiIdentityErrors(E.MfaAlreadyEnabled, E.UserNotFound)
  @NotWhileImpersonated('MFA enrolment')
  startTotp(@CurrentPrincipal() me: Principal): Promise<TotpEnrollmentView> {
    return this.commands.execute(new StartTotpEnrollmentCommand(me.tenantId!, me.subject));
  }

  @Post('mfa/totp/confirm')
  @Authorize(SIGNED_IN)
  @OkRoute('Finish TOTP enrolment with a first code; answers the recovery codes, shown only now', {
    type: RecoveryCodesView,
    description: 'Step 2: the first code activates the factor',
  })
  @ApiIdentityErrors(E.InvalidMfaCode, E.MfaAlreadyEnabled, E.UserNotFound)
  @NotWhileImpersonated('MFA enrolment')
  confirmTotp(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesView> {
    return this.commands.execute(new ConfirmTotpCommand(me.tenantId!, me.subject, dto.code));
  }

  @Delete('mfa/totp')
  @Authorize(SIGNED_IN)
  @NoContentRoute('Remove my authenticator app (a current code is required)', 'TOTP and the recovery codes are gone')
  @ApiIdentityErrors(E.InvalidMfaCode, E.MfaNotEnabled, E.UserNotFound)
  @NotWhileImpersonated('MFA removal')
  async removeTotp(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<void> {
    await this.commands.execute(new RemoveMfaCommand(me.tenantId!, me.subject, dto.code, me.subject));
  }

  @Post('mfa/recovery-codes')
  @Authorize(SIGNED_IN)
  @OkRoute('New recovery codes (a current TOTP code is required); the old ones stop working', {
    type: RecoveryCodesView,
    description: 'Replaces all recovery codes',
  })
  @ApiIdentityErrors(E.InvalidMfaCode, E.MfaNotEnabled, E.UserNotFound)
  @NotWhileImpersonated('recovery codes')
  regenerateRecoveryCodes(@Body() dto: TotpCodeDto, @CurrentPrincipal() me: Principal): Promise<RecoveryCodesView> {
    return this.commands.execute(new RegenerateRecoveryCodesCommand(me.tenantId!, me.subject, dto.code));
  }

  @Post('delete')
  @Authorize(SIGNED_IN)
  @NoContentRoute(
    {
      summary: 'Delete my account (GDPR art. 17)',
      description:
        `Erases the personal data and credentials and ends every session. Re-authentication: the password, ` +
        `or an access token whose \`auth_time\` is at most ${REAUTHENTICATION_MAX_AGE_SECONDS} s old ` +
        `(sign in again with prompt=login max_age=0 first).`,
    },
    'Erased: the account can no longer sign in',
  )
  @ApiIdentityErrors(E.ReauthenticationRequired, E.InvalidCredentials, E.UserNotFound)
  @NotWhileImpersonated('account deletion')
  async deleteAccount(@Body() dto: DeleteMyAccountDto, @CurrentPrincipal() me: Principal): Promise<void> {
    const authTime = typeof me.claims.auth_time === 'number' ? me.claims.auth_time : undefined;
    await this.commands.execute(
      new DeleteMyAccountCommand(me.tenantId!, me.subject, { password: dto.password, authTime }),
    );
  }
}
