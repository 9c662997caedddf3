import { Injectable, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { MailKind } from '../../mail/mail-catalogue';
import { MailOutbox } from '../../mail/mail-outbox';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import { existingUser, UsersRepository } from '../../users/users.repository';
import { MailLimits } from '../mail-limits';
import { EmailLinkCommand, EmailLinkHandler } from './email-link-handler';

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
    private readonly mail: MailOutbox,
    private readonly mailLimits: MailLimits,
  ) {}

  /** Queues the mail; its link is made when the outbox sends it. */
  async execute({ tenantId, userId, requestedFrom }: SendVerificationEmailCommand): Promise<void> {
    const user = existingUser(await this.users.findById(tenantId, userId));
    if (user.emailVerified) return;
    if (requestedFrom) await this.mailLimits.consume(user.email, requestedFrom.clientIp);
    await this.mail.enqueueNow([{ kind: 'verify_email', tenantId, userId }]);
  }
}

/** A mail someone not signed in asks for by address (a reset link, a new verification link). */
export abstract class MailByAddressCommand extends Command<void> {
  constructor(
    /** The tenant's id or slug. */
    readonly tenant: string,
    /** As typed. */
    readonly email: string,
    /** Who asks, for the per-IP mail limit. */
    readonly clientIp: string,
  ) {
    super();
  }
}

/**
 * Always "accepted": whether the address has an account, the look-up and the mail happen after
 * the response, so neither the answer nor its timing tells. The mail limits (per IP, per address
 * as typed) are checked before, the same for every address. The mail is queued, so an SMTP outage
 * delays it rather than losing it; its link is made on sending.
 */
@Injectable()
export abstract class MailByAddressHandler {
  protected abstract readonly logger: Logger;

  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly mail: MailOutbox,
    private readonly mailLimits: MailLimits,
  ) {}

  /** The mail an active account the address names gets, or null for none. */
  protected abstract mailFor(user: User): MailKind | null;

  async execute({ tenant, email, clientIp }: MailByAddressCommand): Promise<void> {
    await this.mailLimits.consume(email, clientIp);
    sendInBackground(this.logger, async () => {
      const user = await activeUserByAddress(this.tenants, this.users, tenant, email);
      const kind = user ? this.mailFor(user) : null;
      if (!user || !kind) return;
      await this.mail.enqueueNow([{ kind, tenantId: user.tenantId, userId: user.id }]);
    });
  }
}

export class RequestVerificationEmailCommand extends MailByAddressCommand {}

/**
 * A new verification link by address, for someone not signed in (the hosted login offers it
 * when the tenant requires a verified address). Like a reset request, always "accepted",
 * with the look-up after the response.
 */
@CommandHandler(RequestVerificationEmailCommand)
export class RequestVerificationEmailHandler
  extends MailByAddressHandler
  implements ICommandHandler<RequestVerificationEmailCommand>
{
  protected readonly logger = new Logger('EmailVerification');

  protected mailFor(user: User): MailKind | null {
    return user.emailVerified ? null : 'verify_email';
  }
}

export class ConfirmEmailCommand extends EmailLinkCommand {}

/** Confirms the address from its verification link (an address already verified stays as it is). */
@CommandHandler(ConfirmEmailCommand)
export class ConfirmEmailHandler extends EmailLinkHandler implements ICommandHandler<ConfirmEmailCommand> {
  protected readonly purpose = 'verify_email';

  protected async apply(manager: EntityManager, user: User): Promise<void> {
    if (user.emailVerified) return;
    await this.users.update(manager, user, { emailVerified: true });
    await this.events.record(manager, [userEvent(EventTypes.userEmailVerified, user, { method: 'email_link' })]);
  }
}

/**
 * The active account an address names in an active tenant (by id or slug), or null: what a mail
 * requested by address (reset, new verification link) goes to, looked up after the answer.
 */
async function activeUserByAddress(
  tenants: TenantsRepository,
  users: UsersRepository,
  tenantRef: string,
  email: string,
): Promise<User | null> {
  const tenant = await tenants.findByIdOrSlug(tenantRef);
  const canonical = canonicalEmail(email);
  if (!tenant || tenant.status !== 'active' || !canonical) return null;
  const user = await users.findByCanonicalEmail(tenant.id, canonical);
  return user?.status === 'active' ? user : null;
}

/** Does the look-up behind a mail without holding up the response, so the time taken reveals nothing. */
function sendInBackground(logger: Logger, work: () => Promise<void>): void {
  setImmediate(() => work().catch((error: Error) => logger.error(`background email failed: ${error.message}`)));
}
