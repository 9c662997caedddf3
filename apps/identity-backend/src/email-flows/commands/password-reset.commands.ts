import { Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { SetPasswordCommand } from '../../credentials/commands/set-password.command';
import { LockoutService } from '../../credentials/lockout.service';
import type { MailKind } from '../../mail/mail-catalogue';
import { VerifyMfaCommand, type MfaMethod } from '../../mfa/commands/verify-mfa.command';
import { MfaFactors } from '../../mfa/mfa-factors';
import { ChangeUserStatusCommand } from '../../users/commands/change-user-status.command';
import { UsersRepository } from '../../users/users.repository';
import { EmailTokens } from '../email-tokens';
import { linkOwner } from './email-link-handler';
import { MailByAddressCommand, MailByAddressHandler } from './email-verification.commands';

export class RequestPasswordResetCommand extends MailByAddressCommand {}

/** A reset link by address, for someone who forgot their password. */
@CommandHandler(RequestPasswordResetCommand)
export class RequestPasswordResetHandler
  extends MailByAddressHandler
  implements ICommandHandler<RequestPasswordResetCommand>
{
  protected readonly logger = new Logger('PasswordReset');

  protected mailFor(): MailKind {
    return 'password_reset';
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
