import { Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { SetPasswordCommand } from '../../credentials/commands/set-password.command';
import { LockoutService } from '../../credentials/lockout.service';
import { MailOutbox } from '../../mail/mail-outbox';
import { VerifyMfaCommand, type MfaMethod } from '../../mfa/commands/verify-mfa.command';
import { MfaFactors } from '../../mfa/mfa-factors';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { ChangeUserStatusCommand } from '../../users/commands/change-user-status.command';
import { UsersRepository } from '../../users/users.repository';
import { EmailTokens } from '../email-tokens';
import { MailLimits } from '../mail-limits';
import { activeUserByAddress, linkOwner, sendInBackground } from './email-verification.commands';

export class RequestPasswordResetCommand extends Command<void> {
  constructor(
    readonly tenant: string,
    readonly email: string,
    /** Who asks, for the per-IP mail limit. */
    readonly clientIp: string,
  ) {
    super();
  }
}

/**
 * Always "accepted": whether the address has an account, the look-up and the mail
 * happen after the response, so neither the answer nor its timing tells. The mail limits
 * (per IP, per address as typed) are checked before, the same for every address.
 */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler implements ICommandHandler<RequestPasswordResetCommand> {
  private readonly logger = new Logger('PasswordReset');

  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly mail: MailOutbox,
    private readonly mailLimits: MailLimits,
  ) {}

  async execute({ tenant, email, clientIp }: RequestPasswordResetCommand): Promise<void> {
    await this.mailLimits.consume(email, clientIp);
    sendInBackground(this.logger, async () => {
      const user = await activeUserByAddress(this.tenants, this.users, tenant, email);
      if (!user) return;
      // Queued, so an SMTP outage delays the mail rather than losing it; the link is made on sending.
      await this.mail.enqueueNow([{ kind: 'password_reset', tenantId: user.tenantId, userId: user.id }]);
    });
  }
}

export class ResetPasswordCommand extends Command<void> {
  constructor(
    readonly token: string,
    readonly newPassword: string,
    readonly mfa?: { method: MfaMethod; code: string },
  ) {
    super();
  }
}

/**
 * Completes a reset. A user with a second factor must also present it (a mailbox
 * alone never bypasses MFA). The token is spent only when the reset succeeds; the
 * password_changed event ends every session of the user. The link also lifts a lock
 * that failed sign-ins imposed (the locked-account mail carries one): whoever holds the
 * mailbox is the owner, and a second factor still stands between them and the account.
 */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(
    private readonly tokens: EmailTokens,
    private readonly users: UsersRepository,
    private readonly mfa: MfaFactors,
    private readonly lockout: LockoutService,
    private readonly commands: CommandBus,
  ) {}

  async execute({ token, newPassword, mfa }: ResetPasswordCommand): Promise<void> {
    const userId = await this.tokens.peek(token, 'reset_password');
    const user = await linkOwner(this.users, userId);
    if (this.lockout.isLocked(user)) {
      await this.commands.execute(
        new ChangeUserStatusCommand(user.tenantId, userId, 'unlock', 'password_reset_link', userId),
      );
    }
    if ((await this.mfa.methodsOf(userId)).length > 0) {
      if (!mfa)
        throw new IdentityError(
          IdentityErrorCode.MfaRequired,
          'This account needs its second factor to reset the password',
        );
      await this.commands.execute(new VerifyMfaCommand(user.tenantId, userId, mfa.method, mfa.code));
    }
    await this.commands.execute(
      new SetPasswordCommand({
        tenantId: user.tenantId,
        userId,
        newPassword,
        actor: userId,
        alongside: (manager) => this.tokens.redeem(manager, token, 'reset_password'),
      }),
    );
  }
}
