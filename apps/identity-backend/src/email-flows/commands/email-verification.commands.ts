import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { IDENTITY_CONFIG } from '../../common/tokens';
import type { IdentityBackendConfig } from '../../config';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { Mailer } from '../../mail/mailer';
import { verificationMail } from '../../mail/templates';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import { EmailTokens } from '../email-tokens';
import { MailLimits } from '../mail-limits';

export class SendVerificationEmailCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    /** Set when someone asked for the mail (a resend): the mail limits then apply to that IP and the address. */
    readonly requestedFrom?: { clientIp: string },
  ) {
    super();
  }
}

@CommandHandler(SendVerificationEmailCommand)
export class SendVerificationEmailHandler implements ICommandHandler<SendVerificationEmailCommand> {
  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly tokens: EmailTokens,
    private readonly mailer: Mailer,
    private readonly mailLimits: MailLimits,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async execute({ tenantId, userId, requestedFrom }: SendVerificationEmailCommand): Promise<void> {
    const user = await this.users.findById(tenantId, userId);
    if (!user || user.status === 'deleted') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    if (user.emailVerified) return;
    if (requestedFrom) await this.mailLimits.consume(user.email, requestedFrom.clientIp);
    const tenant = (await this.tenants.findById(tenantId))!;
    const ttl = this.config.EMAIL_VERIFICATION_TTL_MINUTES;
    const token = await this.tokens.issue(user.id, 'verify_email', ttl);
    const link = `${this.config.ACCOUNT_URL}/account/verify-email?token=${token}`;
    const branding = { tenantName: tenant.displayName, settings: resolveTenantSettings(tenant.settings) };
    await this.mailer.send({ to: user.email, ...verificationMail(branding, link, ttl) });
  }
}

export class ConfirmEmailCommand extends Command<void> {
  constructor(readonly token: string) {
    super();
  }
}

@CommandHandler(ConfirmEmailCommand)
export class ConfirmEmailHandler implements ICommandHandler<ConfirmEmailCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: EmailTokens,
    private readonly events: EventRecorder,
  ) {}

  async execute({ token }: ConfirmEmailCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const userId = await this.tokens.redeem(manager, token, 'verify_email');
      const user = await manager.findOneByOrFail(User, { id: userId });
      if (user.emailVerified) return;
      await manager.update(User, { id: userId }, { emailVerified: true });
      await this.events.record(manager, [userEvent(EventTypes.userEmailVerified, user, { method: 'email_link' })]);
    });
  }
}

/** Sends a mail without holding up the response, so the time taken reveals nothing. */
export function sendInBackground(logger: Logger, work: () => Promise<void>): void {
  setImmediate(() => work().catch((error: Error) => logger.error(`background email failed: ${error.message}`)));
}
