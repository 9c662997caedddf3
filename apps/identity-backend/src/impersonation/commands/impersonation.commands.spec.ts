import type { QueryBus } from '@nestjs/cqrs';
import { sha256Hex } from '@platform/crypto';
import { ManualClock } from '@platform/runtime';
import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { MailOutbox } from '../../mail/mail-outbox';
import type { QueuedMail } from '../../mail/mail-outbox';
import { aUser, errorCode, TENANT_ID, userCommandDeps } from '../../users/commands/commands.spec-helper';
import type { UserClaimsQuery } from '../../users/queries/user-claims.query';
import type { Impersonation } from '../impersonation.entity';
import type { ImpersonationsRepository } from '../impersonations.repository';
import {
  EndImpersonationCommand,
  EndImpersonationHandler,
  ExpireImpersonationsHandler,
  RedeemImpersonationCommand,
  RedeemImpersonationHandler,
  StartImpersonationCommand,
  StartImpersonationHandler,
} from './impersonation.commands';

const NOW = new Date('2026-12-01T10:00:00Z');
const ADMIN = aUser({ id: 'admin-1', email: 'helpdesk@example.com', profile: { name: 'Hanna Helpdesk' } });
const ADA = aUser({ id: 'ada-1', email: 'ada@example.com' });
const BOSS = aUser({ id: 'boss-1', email: 'boss@example.com' });
const LOCKED = aUser({ id: 'locked-1', status: 'locked' });

/** Effective permissions by user id, as UserClaimsQuery answers (an inactive user: user_inactive). */
const PERMISSIONS: Record<string, string[]> = {
  'admin-1': ['users:impersonate', 'users:read', 'users:write'],
  'ada-1': ['users:read'],
  'boss-1': ['roles:write', 'users:read', 'users:write'],
};

function setUp() {
  const deps = userCommandDeps([ADMIN, ADA, BOSS, LOCKED]);
  const clock = new ManualClock(NOW);
  const rows: Impersonation[] = [];
  const repository = {
    insert: async (m: EntityManager, row: Omit<Impersonation, 'id' | 'createdAt'>) => {
      if (m !== deps.manager) throw new Error('inserted outside the transaction');
      const saved = { ...row, id: `imp-${rows.length + 1}`, createdAt: clock.now() } as Impersonation;
      rows.push(saved);
      return saved;
    },
    byTicket: async (_m: EntityManager, hash: string) => rows.find((r) => r.ticketHash === hash) ?? null,
    open: async (tenantId: string, userId: string, actorId: string, now: Date) =>
      rows.find(
        (r) =>
          r.tenantId === tenantId &&
          r.userId === userId &&
          r.actorId === actorId &&
          r.redeemedAt !== null &&
          !r.endedAt &&
          r.expiresAt > now,
      ) ?? null,
    overdue: async (_m: EntityManager, now: Date) => rows.filter((r) => !r.endedAt && r.expiresAt <= now),
    save: async (_m: EntityManager, row: Impersonation) => row,
  } as unknown as ImpersonationsRepository;
  const queries = {
    execute: async ({ userId }: UserClaimsQuery) => {
      if (userId === LOCKED.id) throw new IdentityError(IdentityErrorCode.UserInactive, 'locked');
      return { permissions: PERMISSIONS[userId] ?? [] };
    },
  } as unknown as QueryBus;
  const mails: QueuedMail[] = [];
  const mail = {
    enqueue: async (m: EntityManager, list: QueuedMail[]) => {
      if (m !== deps.manager) throw new Error('mailed outside the transaction');
      mails.push(...list);
    },
  } as unknown as MailOutbox;
  const handlers = {
    start: new StartImpersonationHandler(deps.dataSource, deps.users, repository, queries, deps.events, mail, clock),
    redeem: new RedeemImpersonationHandler(deps.dataSource, repository, clock),
    end: new EndImpersonationHandler(deps.dataSource, repository, deps.events, clock),
    expire: new ExpireImpersonationsHandler(deps.dataSource, repository, deps.events, clock),
  };
  const admin = { userId: ADMIN.id, tenantId: TENANT_ID, impersonating: false };
  const start = (userId: string, actor = admin, minutes = 30) =>
    handlers.start.execute(new StartImpersonationCommand(TENANT_ID, userId, actor, 'Ticket 4711', minutes));
  return { ...deps, clock, rows, mails, handlers, start };
}

describe('impersonation commands', () => {
  it('starts: a hashed one-time ticket, the end by the clock, the event (audit trail) and the alert mail in one transaction', async () => {
    const { start, rows, recorded, mails, transactions } = setUp();
    const started = await start(ADA.id);
    expect(started.expiresAt).toEqual(new Date(NOW.getTime() + 30 * 60_000));
    expect(started.ticketExpiresAt).toEqual(new Date(NOW.getTime() + 300_000));
    expect(rows[0]).toMatchObject({ userId: ADA.id, actorId: ADMIN.id, reason: 'Ticket 4711' });
    expect(rows[0]!.ticketHash).toBe(sha256Hex(started.ticket));
    expect(transactions).toHaveLength(1);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'identity.user.impersonation_started.v1',
        aggregateId: ADA.id,
        data: expect.objectContaining({ actor: ADMIN.id, reason: 'Ticket 4711', impersonationId: rows[0]!.id }),
      }),
    ]);
    // The administrator's name is personal data: in the mail to the user, not in the event.
    expect(JSON.stringify(recorded)).not.toContain('Hanna');
    expect(mails).toEqual([
      {
        kind: 'impersonation_started',
        tenantId: TENANT_ID,
        userId: ADA.id,
        params: { actor: 'Hanna Helpdesk', reason: 'Ticket 4711', until: started.expiresAt.toISOString() },
      },
    ]);
  });

  it('refuses upward (a permission the administrator lacks), unknown or other-tenant users, oneself, a second level, an inactive user', async () => {
    const { start, rows, recorded, mails } = setUp();
    const upward = start(BOSS.id);
    await expect(upward).rejects.toMatchObject({
      code: 'impersonation_upward_refused',
      status: 403,
      details: { permissions: ['roles:write'] },
    });
    expect(await errorCode(start('nobody'))).toBe('user_not_found');
    expect(await errorCode(start(ADMIN.id))).toBe('impersonation_not_allowed');
    expect(await errorCode(start(ADA.id, { userId: ADMIN.id, tenantId: TENANT_ID, impersonating: true }))).toBe(
      'impersonation_not_allowed',
    );
    expect(await errorCode(start(LOCKED.id))).toBe('user_inactive');
    expect([rows, recorded, mails]).toEqual([[], [], []]);
  });

  it('redeems a ticket once, only for the administrator who asked, only within its time', async () => {
    const { start, handlers, clock } = setUp();
    const { ticket } = await start(ADA.id);
    expect(await errorCode(handlers.redeem.execute(new RedeemImpersonationCommand(ticket, ADA.id)))).toBe(
      'impersonation_ticket_invalid',
    );
    await expect(handlers.redeem.execute(new RedeemImpersonationCommand(ticket, ADMIN.id))).resolves.toMatchObject({
      userId: ADA.id,
      actorId: ADMIN.id,
      tenantId: TENANT_ID,
    });
    expect(await errorCode(handlers.redeem.execute(new RedeemImpersonationCommand(ticket, ADMIN.id)))).toBe(
      'impersonation_ticket_invalid',
    );
    const late = await start(ADA.id);
    clock.advance(301_000);
    expect(await errorCode(handlers.redeem.execute(new RedeemImpersonationCommand(late.ticket, ADMIN.id)))).toBe(
      'impersonation_ticket_invalid',
    );
  });

  it('ends on request (reason ended) and at its end (reason expired), each recorded once', async () => {
    const { start, handlers, clock, recorded } = setUp();
    const { ticket } = await start(ADA.id, undefined, 1);
    // Not under way before the administrator has redeemed the link.
    expect(await errorCode(handlers.end.execute(new EndImpersonationCommand(TENANT_ID, ADA.id, ADMIN.id)))).toBe(
      'impersonation_not_found',
    );
    await handlers.redeem.execute(new RedeemImpersonationCommand(ticket, ADMIN.id));
    await handlers.end.execute(new EndImpersonationCommand(TENANT_ID, ADA.id, ADMIN.id));
    expect(await errorCode(handlers.end.execute(new EndImpersonationCommand(TENANT_ID, ADA.id, ADMIN.id)))).toBe(
      'impersonation_not_found',
    );
    await start(ADA.id, undefined, 1);
    expect(await handlers.expire.execute()).toBe(0);
    clock.advance(60_000);
    expect(await handlers.expire.execute()).toBe(1);
    expect(await handlers.expire.execute()).toBe(0);
    const ended = recorded.filter((e) => e.type === 'identity.user.impersonation_ended.v1').map((e) => e.data.reason);
    expect(ended).toEqual(['ended', 'expired']);
  });
});
