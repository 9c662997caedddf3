import { Command, CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomToken, sha256Hex } from '@platform/crypto';
import { Clock } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { MailOutbox } from '../../mail/mail-outbox';
import { UserClaimsQuery } from '../../users/queries/user-claims.query';
import { UsersRepository } from '../../users/users.repository';
import { IdentityError } from '../../common/identity-error';
import type { Impersonation } from '../impersonation.entity';
import { ImpersonationError, ImpersonationErrorCode as E } from '../impersonation-errors';
import { ImpersonationsRepository } from '../impersonations.repository';

/** How long the start link may be opened (and the administrator sign in) after it was made. */
export const TICKET_TTL_SECONDS = 300;
export const MAX_IMPERSONATION_MINUTES = 60;

/** Who starts: a signed-in person, with the tenant their token names (their own; the operators' for operators). */
export interface ImpersonationActor {
  userId: string;
  tenantId: string;
  /** The token already acts for someone (an impersonated session): never a second level. */
  impersonating: boolean;
}

export interface StartedImpersonation {
  id: string;
  ticket: string;
  expiresAt: Date;
  ticketExpiresAt: Date;
}

export class StartImpersonationCommand extends Command<StartedImpersonation> {
  constructor(
    /** The tenant the route is scoped to (the caller's own; any for a platform operator). */
    readonly tenantId: string,
    readonly userId: string,
    readonly actor: ImpersonationActor,
    readonly reason: string,
    readonly durationMinutes: number,
  ) {
    super();
  }
}

/** The effective permissions of a user who can sign in (direct roles, groups, platform power), or null. */
async function permissionsOf(queries: QueryBus, userId: string): Promise<Set<string> | null> {
  try {
    return new Set((await queries.execute(new UserClaimsQuery(userId, new Set(['openid'])))).permissions);
  } catch (error) {
    if (error instanceof IdentityError) return null;
    throw error;
  }
}

/**
 * An administrator asks to act as a user (issue 16): refused for themselves, for a client, from an
 * impersonated session, across tenants (404 like an unknown user) and upward (the user holds a
 * permission the administrator lacks, so acting as them would be an escalation). Records the
 * start (audit trail, lifecycle event) and mails the user an alert naming the administrator and
 * the reason, in one transaction. The answer's ticket is a one-time start link, kept hashed.
 */
@CommandHandler(StartImpersonationCommand)
export class StartImpersonationHandler implements ICommandHandler<StartImpersonationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly repository: ImpersonationsRepository,
    private readonly queries: QueryBus,
    private readonly events: EventRecorder,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
  ) {}

  async execute({ tenantId, userId, actor, reason, durationMinutes }: StartImpersonationCommand) {
    if (actor.impersonating || actor.userId === userId) {
      throw new ImpersonationError(E.NotAllowed, 'Administrators impersonate other users, from their own session');
    }
    const [user, admin] = await Promise.all([
      this.users.findById(tenantId, userId),
      this.users.findById(actor.tenantId, actor.userId),
    ]);
    if (!user || user.status === 'deleted') throw new ImpersonationError(E.UserNotFound, 'User not found');
    if (!admin) throw new ImpersonationError(E.NotAllowed, 'Only a signed-in administrator impersonates');
    const [theirs, mine] = await Promise.all([
      permissionsOf(this.queries, user.id),
      permissionsOf(this.queries, admin.id),
    ]);
    if (!theirs) throw new ImpersonationError(E.UserInactive, 'The user cannot sign in');
    const beyond = [...theirs].filter((permission) => !mine?.has(permission));
    if (!mine || beyond.length) {
      throw new ImpersonationError(E.UpwardRefused, 'The user holds permissions you do not', { permissions: beyond });
    }
    const now = this.clock.now();
    const ticket = randomToken(32);
    const expiresAt = new Date(now.getTime() + durationMinutes * 60_000);
    const ticketExpiresAt = new Date(now.getTime() + TICKET_TTL_SECONDS * 1000);
    const row = await this.dataSource.transaction(async (manager) => {
      const saved = await this.repository.insert(manager, {
        tenantId: user.tenantId,
        userId: user.id,
        actorId: admin.id,
        reason,
        ticketHash: sha256Hex(ticket),
        ticketExpiresAt,
        redeemedAt: null,
        expiresAt,
        endedAt: null,
        endReason: null,
      });
      await this.events.record(manager, [
        userEvent(EventTypes.userImpersonationStarted, user, {
          impersonationId: saved.id,
          actor: admin.id,
          reason,
          expiresAt: expiresAt.toISOString(),
        }),
      ]);
      // The alert names the administrator and the reason: personal data, so in the mail, not the event.
      await this.mail.enqueue(manager, [
        {
          kind: 'impersonation_started',
          tenantId: user.tenantId,
          userId: user.id,
          params: { actor: admin.profile?.name ?? admin.email, reason, until: expiresAt.toISOString() },
        },
      ]);
      return saved;
    });
    return { id: row.id, ticket, expiresAt, ticketExpiresAt };
  }
}

export interface RedeemedImpersonation {
  id: string;
  tenantId: string;
  userId: string;
  actorId: string;
  expiresAt: Date;
}

export class RedeemImpersonationCommand extends Command<RedeemedImpersonation> {
  constructor(
    readonly ticket: string,
    /** The account the browser just signed in as: must be the administrator who asked. */
    readonly actorId: string,
  ) {
    super();
  }
}

/** The authorization server turns the start link into the impersonated session, once, for the administrator who made it. */
@CommandHandler(RedeemImpersonationCommand)
export class RedeemImpersonationHandler implements ICommandHandler<RedeemImpersonationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ImpersonationsRepository,
    private readonly clock: Clock,
  ) {}

  execute({ ticket, actorId }: RedeemImpersonationCommand): Promise<RedeemedImpersonation> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.repository.byTicket(manager, sha256Hex(ticket));
      const now = this.clock.now();
      if (!row || row.actorId !== actorId || row.ticketExpiresAt <= now || row.endedAt || row.expiresAt <= now) {
        throw new ImpersonationError(E.TicketInvalid, 'The impersonation link was used, has expired or is not yours');
      }
      row.ticketHash = null;
      row.redeemedAt = now;
      await this.repository.save(manager, row);
      const { id, tenantId, userId, expiresAt } = row;
      return { id, tenantId, userId, actorId, expiresAt };
    });
  }
}

export class EndImpersonationCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly actorId: string,
  ) {
    super();
  }
}

/** The impersonated session's "end" (the banner): recorded, so the trail shows when it stopped. */
@CommandHandler(EndImpersonationCommand)
export class EndImpersonationHandler implements ICommandHandler<EndImpersonationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ImpersonationsRepository,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ tenantId, userId, actorId }: EndImpersonationCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.repository.open(tenantId, userId, actorId, this.clock.now(), manager);
      if (!row) throw new ImpersonationError(E.NotFound, 'No impersonation under way');
      await endImpersonation(manager, this.repository, this.events, row, 'ended', this.clock.now());
    });
  }
}

export class ExpireImpersonationsCommand extends Command<number> {}

/** Housekeeping: impersonations past their end are recorded as expired (the authorization server has refused their tokens since). */
@CommandHandler(ExpireImpersonationsCommand)
export class ExpireImpersonationsHandler implements ICommandHandler<ExpireImpersonationsCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ImpersonationsRepository,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  execute(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const rows = await this.repository.overdue(manager, now, 100);
      for (const row of rows)
        await endImpersonation(manager, this.repository, this.events, row, 'expired', row.expiresAt);
      return rows.length;
    });
  }
}

async function endImpersonation(
  manager: Parameters<ImpersonationsRepository['save']>[0],
  repository: ImpersonationsRepository,
  events: EventRecorder,
  row: Impersonation,
  endReason: 'ended' | 'expired',
  at: Date,
): Promise<void> {
  row.endedAt = at;
  row.endReason = endReason;
  row.ticketHash = null;
  await repository.save(manager, row);
  await events.record(manager, [
    userEvent(
      EventTypes.userImpersonationEnded,
      { id: row.userId, tenantId: row.tenantId },
      {
        impersonationId: row.id,
        actor: row.actorId,
        reason: endReason,
      },
    ),
  ]);
}
