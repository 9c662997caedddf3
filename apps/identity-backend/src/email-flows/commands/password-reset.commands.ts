import { Inject, Logger } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { IDENTITY_CONFIG } from '../../common/tokens';
import type { IdentityBackendConfig } from '../../config';
import { SetPasswordCommand } from '../../credentials/commands/set-password.command';
import { Mailer } from '../../mail/mailer';
import { passwordResetMail } from '../../mail/templates';
import { VerifyMfaCommand, type MfaMethod } from '../../mfa/commands/verify-mfa.command';
import { MfaFactors } from '../../mfa/mfa-factors';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import { EmailTokens } from '../email-tokens';
import { MailLimits } from '../mail-limits';
import { sendInBackground } from './email-verification.commands';

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
    private readonly tokens: EmailTokens,
    private readonly mailer: Mailer,
    private readonly mailLimits: MailLimits,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async execute({ tenant: tenantRef, email, clientIp }: RequestPasswordResetCommand): Promise<void> {
    await this.mailLimits.consume(email, clientIp);
    sendInBackground(this.logger, async () => {
      const tenant = await this.tenants.findByIdOrSlug(tenantRef);
      const canonical = canonicalEmail(email);
      if (!tenant || tenant.status !== 'active' || !canonical) return;
      const user = await this.users.findByCanonicalEmail(tenant.id, canonical);
      if (!user || user.status !== 'active') return;
      const ttl = this.config.PASSWORD_RESET_TTL_MINUTES;
      const token = await this.tokens.issue(user.id, 'reset_password', ttl);
      const link = `${this.config.ACCOUNT_URL}/account/reset-password?token=${token}`;
      const branding = { tenantName: tenant.displayName, settings: resolveTenantSettings(tenant.settings) };
      await this.mailer.send({ to: user.email, ...passwordResetMail(branding, link, ttl) });
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
 * password_changed event ends every session of the user.
 */
@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: EmailTokens,
    private readonly mfa: MfaFactors,
    private readonly commands: CommandBus,
  ) {}

  async execute({ token, newPassword, mfa }: ResetPasswordCommand): Promise<void> {
    const userId = await this.tokens.peek(token, 'reset_password');
    const user = await this.dataSource.manager.findOneByOrFail(User, { id: userId });
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
