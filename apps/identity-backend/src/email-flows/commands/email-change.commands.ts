import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { Clock } from '@platform/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { LockoutService } from '../../credentials/lockout.service';
import { PasswordHasher } from '../../credentials/password-hasher';
import { assertReauthenticated } from '../../credentials/reauthentication';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { MailOutbox } from '../../mail/mail-outbox';
import { assertEmailDomainAllowed, resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import { assertVisibleIdentity } from '../../users/visible-identity';
import { MailLimits } from '../mail-limits';
import { EmailLinkCommand, EmailLinkHandler } from './email-link-handler';

export class RequestEmailChangeCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly newEmail: string,
    /** Re-authentication: the current password, or a sign-in at most five minutes old. */
    readonly reauthentication: { currentPassword?: string; authTime?: number },
    readonly clientIp: string,
  ) {
    super();
  }
}

/**
 * A user asks to move their account to a new address. Nothing changes yet: the new address
 * gets a confirmation link, the old one an alert (so a stolen session cannot quietly take the
 * account over), and the change applies when the link is opened.
 */
@CommandHandler(RequestEmailChangeCommand)
export class RequestEmailChangeHandler implements ICommandHandler<RequestEmailChangeCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly mailLimits: MailLimits,
    private readonly mail: MailOutbox,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ tenantId, userId, newEmail, reauthentication, clientIp }: RequestEmailChangeCommand) {
    const user = await this.users.findById(tenantId, userId);
    if (!user || user.status !== 'active') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const settings = resolveTenantSettings((await this.tenants.findById(tenantId))?.settings ?? {});
    await assertReauthenticated(
      user,
      { password: reauthentication.currentPassword, authTime: reauthentication.authTime },
      {
        hasher: this.hasher,
        lockout: this.lockout,
        lockoutPolicy: async () => settings.lockoutPolicy,
        clock: this.clock,
      },
    );

    assertVisibleIdentity({ email: newEmail });
    const canonical = canonicalEmail(newEmail);
    if (!canonical) throw new IdentityError(IdentityErrorCode.InvalidEmail, 'newEmail is not a valid email address');
    assertEmailDomainAllowed(settings, canonical);
    if (canonical === user.emailCanonical) {
      throw new IdentityError(IdentityErrorCode.EmailTaken, 'This is already the address of the account');
    }
    if (await this.users.findByCanonicalEmail(tenantId, canonical)) {
      throw new IdentityError(IdentityErrorCode.EmailTaken, 'A user with this email already exists in the tenant');
    }
    await this.mailLimits.consume(canonical, clientIp);
    const address = newEmail.normalize('NFC').trim();
    await this.dataSource.transaction(async (manager) => {
      await this.mail.enqueue(manager, [
        { kind: 'email_change_confirm', tenantId, userId, recipient: address },
        { kind: 'email_change_alert', tenantId, userId, recipient: user.email, params: { newEmail: address } },
      ]);
      await this.events.record(manager, [userEvent(EventTypes.userEmailChangeRequested, user, { actor: userId })]);
    });
  }
}

export class ConfirmEmailChangeCommand extends EmailLinkCommand {}

/** Applies an email change from its link: the new address, verified (the link proved the mailbox). */
@CommandHandler(ConfirmEmailChangeCommand)
export class ConfirmEmailChangeHandler extends EmailLinkHandler implements ICommandHandler<ConfirmEmailChangeCommand> {
  protected readonly purpose = 'change_email';

  override async execute(command: ConfirmEmailChangeCommand): Promise<void> {
    try {
      await super.execute(command);
    } catch (error) {
      // Someone registered the address between the request and the confirmation.
      if (isUniqueViolation(error, 'UQ_users_tenant_email')) {
        throw new IdentityError(IdentityErrorCode.EmailTaken, 'A user with this email already exists in the tenant');
      }
      throw error;
    }
  }

  protected async apply(manager: EntityManager, user: User, payload: Record<string, string>): Promise<void> {
    const canonical = payload.newEmail ? canonicalEmail(payload.newEmail) : null;
    if (!canonical || user.status === 'deleted') {
      throw new IdentityError(IdentityErrorCode.InvalidEmailToken, 'This link is invalid');
    }
    await this.users.update(manager, user, { email: payload.newEmail, emailCanonical: canonical, emailVerified: true });
    await this.events.record(manager, [userEvent(EventTypes.userEmailChanged, user, { actor: user.id })]);
  }
}
