import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../../events/identity-events';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { EmailTokens } from '../email-tokens';
import {
  ConfirmEmailCommand,
  ConfirmEmailHandler,
  RequestVerificationEmailCommand,
  RequestVerificationEmailHandler,
  SendVerificationEmailCommand,
  SendVerificationEmailHandler,
} from './email-verification.commands';
import { backgroundWork, mailRequestWorld, TENANT } from './email-flows.spec-helper';

describe('email verification', () => {
  it('queues the mail for an unverified user, within the mail limits when someone asked for it', async () => {
    const world = mailRequestWorld();
    const handler = new SendVerificationEmailHandler(world.users, world.mail, world.mailLimits);
    await handler.execute(new SendVerificationEmailCommand(TENANT.id, 'u-ada'));
    await handler.execute(new SendVerificationEmailCommand(TENANT.id, 'u-ada', { clientIp: '192.0.2.1' }));
    expect(world.queued).toEqual([
      { kind: 'verify_email', tenantId: TENANT.id, userId: 'u-ada' },
      { kind: 'verify_email', tenantId: TENANT.id, userId: 'u-ada' },
    ]);
    expect(world.limited).toEqual([['Ada@Example.com', '192.0.2.1']]);
  });

  it('sends nothing to a verified address, and does not find a deleted user', async () => {
    const verified = mailRequestWorld({ emailVerified: true });
    await new SendVerificationEmailHandler(verified.users, verified.mail, verified.mailLimits).execute(
      new SendVerificationEmailCommand(TENANT.id, 'u-ada'),
    );
    expect(verified.queued).toEqual([]);
    const deleted = mailRequestWorld({ status: 'deleted' });
    await expect(
      new SendVerificationEmailHandler(deleted.users, deleted.mail, deleted.mailLimits).execute(
        new SendVerificationEmailCommand(TENANT.id, 'u-ada'),
      ),
    ).rejects.toMatchObject({ code: IdentityErrorCode.UserNotFound });
  });

  it('answers a request by address the same for everyone, and mails only an active, unverified account', async () => {
    const world = mailRequestWorld();
    const handler = new RequestVerificationEmailHandler(world.users, world.tenants, world.mail, world.mailLimits);
    for (const [tenant, email] of [
      ['acme', ' ADA@example.com '],
      ['acme', 'nobody@example.com'],
      ['no-such-tenant', 'ada@example.com'],
    ] as const) {
      await expect(
        handler.execute(new RequestVerificationEmailCommand(tenant, email, '192.0.2.1')),
      ).resolves.toBeUndefined();
    }
    await backgroundWork();
    expect(world.limited).toHaveLength(3);
    expect(world.queued).toEqual([{ kind: 'verify_email', tenantId: TENANT.id, userId: 'u-ada' }]);
  });

  it('confirms the address from its link, once', async () => {
    const user = { id: 'u-ada', tenantId: TENANT.id, emailVerified: false } as User;
    const manager = {} as EntityManager;
    const users = {
      findByIdInAnyTenant: async (id: string, m: EntityManager) =>
        id === user.id && m === manager ? { ...user } : null,
      update: async (m: EntityManager, _u: User, changes: Partial<User>) => {
        if (m !== manager) throw new Error('written outside the transaction');
        Object.assign(user, changes);
      },
    } as unknown as UsersRepository;
    const dataSource = { transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager) };
    const tokens = { redeemWithPayload: async () => ({ userId: 'u-ada', payload: {} }) } as unknown as EmailTokens;
    const recorded: IdentityEvent[] = [];
    const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
    const handler = new ConfirmEmailHandler(dataSource as unknown as DataSource, tokens, users, events);
    await handler.execute(new ConfirmEmailCommand('link-token'));
    await handler.execute(new ConfirmEmailCommand('link-token'));
    expect(user.emailVerified).toBe(true);
    expect(recorded).toEqual([
      expect.objectContaining({ type: EventTypes.userEmailVerified, data: { userId: 'u-ada', method: 'email_link' } }),
    ]);
  });
});
