import { ManualClock } from '@platform/runtime';
import { uniqueViolation } from '@platform/database';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import type { LockoutService } from '../../credentials/lockout.service';
import type { PasswordHasher } from '../../credentials/password-hasher';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../../events/identity-events';
import type { MailOutbox } from '../../mail/mail-outbox';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { EmailTokens } from '../email-tokens';
import type { MailLimits } from '../mail-limits';
import {
  ConfirmEmailChangeCommand,
  ConfirmEmailChangeHandler,
  RequestEmailChangeCommand,
  RequestEmailChangeHandler,
} from './email-change.commands';

describe('email change', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const T = 'tenant-a';
  const ada = () =>
    ({
      id: 'u-ada',
      tenantId: T,
      email: 'ada@old.example',
      emailCanonical: 'ada@old.example',
      status: 'active',
      passwordHash: 'hash',
      lockedUntil: null,
    }) as User;

  const setUp = (others: string[] = []) => {
    const user = ada();
    const manager = {} as EntityManager;
    const dataSource = { transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager) };
    const users = {
      findById: async (tenantId: string, id: string) => (tenantId === T && id === user.id ? user : null),
      findByIdInAnyTenant: async (id: string) => (id === user.id ? user : null),
      findByCanonicalEmail: async (_t: string, canonical: string) => (others.includes(canonical) ? ({} as User) : null),
      update: jest.fn(async (m: EntityManager, _u: User, changes: Partial<User>) => {
        if (m !== manager) throw new Error('written outside the transaction');
        Object.assign(user, changes);
      }),
    };
    const failures: string[] = [];
    const lockout = { isLocked: () => false, recordFailure: async (u: User) => void failures.push(u.id) };
    const limited: string[] = [];
    const mailLimits = { consume: async (address: string) => void limited.push(address) };
    const queued: { kind: string; recipient: string }[] = [];
    const mail = { enqueue: async (_m: EntityManager, mails: typeof queued) => void queued.push(...mails) };
    const recorded: IdentityEvent[] = [];
    const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
    const clock = new ManualClock(NOW);
    const request = new RequestEmailChangeHandler(
      dataSource as unknown as DataSource,
      users as unknown as UsersRepository,
      { findById: async () => ({ settings: {} }) } as unknown as TenantsRepository,
      { verify: async (password: string) => password === 'right' } as unknown as PasswordHasher,
      lockout as unknown as LockoutService,
      mailLimits as unknown as MailLimits,
      mail as unknown as MailOutbox,
      events,
      clock,
    );
    let redeemed: { userId: string; payload: { newEmail?: string } } = {
      userId: 'u-ada',
      payload: { newEmail: 'Ada@New.example' },
    };
    const tokens = { redeemWithPayload: async () => redeemed };
    const confirm = new ConfirmEmailChangeHandler(
      dataSource as unknown as DataSource,
      tokens as unknown as EmailTokens,
      users as unknown as UsersRepository,
      events,
    );
    return {
      user,
      users,
      request,
      confirm,
      queued,
      recorded,
      failures,
      limited,
      clock,
      link: (value: typeof redeemed) => (redeemed = value),
    };
  };
  const asking = (newEmail: string, reauthentication: { currentPassword?: string; authTime?: number }) =>
    new RequestEmailChangeCommand(T, 'u-ada', newEmail, reauthentication, '198.51.100.1');
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code ?? String(error),
    );

  it('after a recent sign-in, mails a link to the new address and an alert to the old one; nothing changes yet', async () => {
    const world = setUp();
    await world.request.execute(asking(' Ada@New.example ', { authTime: NOW / 1000 - 60 }));
    expect(world.queued).toEqual([
      expect.objectContaining({ kind: 'email_change_confirm', recipient: 'Ada@New.example' }),
      expect.objectContaining({ kind: 'email_change_alert', recipient: 'ada@old.example' }),
    ]);
    expect(world.limited).toEqual(['ada@new.example']);
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.userEmailChangeRequested]);
    expect(world.user.email).toBe('ada@old.example');
  });

  it('wants the password once the sign-in is older than the window, and counts a wrong one', async () => {
    const world = setUp();
    const authTime = NOW / 1000;
    world.clock.advance(301_000);
    expect(await code(world.request.execute(asking('ada@new.example', { authTime })))).toBe(
      IdentityErrorCode.ReauthenticationRequired,
    );
    expect(await code(world.request.execute(asking('ada@new.example', { currentPassword: 'wrong', authTime })))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    expect(world.failures).toEqual(['u-ada']);
    await world.request.execute(asking('ada@new.example', { currentPassword: 'right', authTime }));
    expect(world.queued).toHaveLength(2);
  });

  it("refuses the account's own address, another user's, and an invalid one, before any mail", async () => {
    const world = setUp(['bob@new.example']);
    const fresh = { authTime: NOW / 1000 };
    expect(await code(world.request.execute(asking('ADA@old.example', fresh)))).toBe(IdentityErrorCode.EmailTaken);
    expect(await code(world.request.execute(asking('bob@new.example', fresh)))).toBe(IdentityErrorCode.EmailTaken);
    expect(await code(world.request.execute(asking('no address', fresh)))).toBe(IdentityErrorCode.InvalidEmail);
    expect(world.queued).toEqual([]);
    expect(world.limited).toEqual([]);
  });

  it('applies the change from the link, verified, and announces it', async () => {
    const world = setUp();
    await world.confirm.execute(new ConfirmEmailChangeCommand('the-token'));
    expect(world.user).toMatchObject({
      email: 'Ada@New.example',
      emailCanonical: 'ada@new.example',
      emailVerified: true,
    });
    expect(world.recorded.map((e) => e.type)).toEqual([EventTypes.userEmailChanged]);
  });

  it('refuses a link without an address, and maps an address taken meanwhile to email_taken', async () => {
    const world = setUp();
    world.link({ userId: 'u-ada', payload: {} });
    expect(await code(world.confirm.execute(new ConfirmEmailChangeCommand('t')))).toBe(
      IdentityErrorCode.InvalidEmailToken,
    );
    world.link({ userId: 'u-ada', payload: { newEmail: 'bob@new.example' } });
    world.users.update.mockRejectedValueOnce(uniqueViolation('UQ_users_tenant_email'));
    expect(await code(world.confirm.execute(new ConfirmEmailChangeCommand('t')))).toBe(IdentityErrorCode.EmailTaken);
  });
});
