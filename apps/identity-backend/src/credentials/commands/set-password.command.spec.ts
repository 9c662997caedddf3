import { ManualClock } from '@platform/runtime';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityErrorCode } from '../../common/identity-error';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, type IdentityEvent } from '../../events/identity-events';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { LockoutService } from '../lockout.service';
import type { PasswordHasher } from '../password-hasher';
import type { PasswordHistoryRepository } from '../password-history.repository';
import type { PasswordService } from '../password.service';
import { SetPasswordCommand, SetPasswordHandler } from './set-password.command';

describe('SetPasswordHandler', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  /** A "hash" the fake hasher recognises: enough to tell which password a row holds. */
  const hash = (password: string) => `hash:${password}`;

  const setUp = (changes: Partial<User> = {}) => {
    const user = {
      id: 'u-ada',
      tenantId: 'tenant-a',
      emailCanonical: 'ada@example.com',
      username: null,
      status: 'active',
      passwordHash: hash('old passphrase here'),
      passwordChangedAt: new Date(NOW - 86_400_000),
      mustChangePassword: false,
      ...changes,
    } as User;
    const history = [{ passwordHash: hash('older passphrase') }];
    const written: { update?: Partial<User>; remembered: string[]; alongside: number } = {
      remembered: [],
      alongside: 0,
    };
    const manager = {} as EntityManager;
    const dataSource = {
      transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
    } as unknown as DataSource;
    const inTransaction = (m: EntityManager) => {
      if (m !== manager) throw new Error('written outside the transaction');
    };
    const users = {
      findById: async () => user,
      update: async (m: EntityManager, _u: User, update: Partial<User>) => {
        inTransaction(m);
        written.update = update;
      },
    } as unknown as UsersRepository;
    const passwordHistory = {
      recentHashes: async () => history.map((h) => h.passwordHash),
      remember: async (m: EntityManager, _u: User, outgoing: string) => {
        inTransaction(m);
        written.remembered.push(outgoing);
      },
    } as unknown as PasswordHistoryRepository;
    const tenants = { findById: async () => ({ settings: {} }) } as unknown as TenantsRepository;
    const hasher = { verify: async (password: string, stored: string) => stored === hash(password) };
    const passwords = { hashNewPassword: async (password: string) => hash(password) };
    const failures: string[] = [];
    const lockout = { isLocked: () => false, recordFailure: async (u: User) => void failures.push(u.id) };
    const recorded: IdentityEvent[] = [];
    const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
    const clock = new ManualClock(NOW);
    const handler = new SetPasswordHandler(
      dataSource,
      users,
      passwordHistory,
      tenants,
      hasher as unknown as PasswordHasher,
      passwords as unknown as PasswordService,
      lockout as unknown as LockoutService,
      events,
      clock,
    );
    return { handler, written, failures, recorded, clock };
  };
  const own = (currentPassword: string, newPassword: string) =>
    new SetPasswordCommand({ tenantId: 'tenant-a', userId: 'u-ada', currentPassword, newPassword, actor: 'u-ada' });
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code ?? String(error),
    );

  it("changes the user's own password, keeps the outgoing hash and announces it, with the caller's work in the same transaction", async () => {
    const { handler, written, recorded } = setUp();
    const command = own('old passphrase here', 'a brand new passphrase');
    command.change.alongside = async () => void written.alongside++;
    await handler.execute(command);
    expect(written.update).toEqual({
      passwordHash: hash('a brand new passphrase'),
      passwordChangedAt: new Date(NOW),
      mustChangePassword: false,
    });
    expect(written.remembered).toEqual([hash('old passphrase here')]);
    expect(written.alongside).toBe(1);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userPasswordChanged,
        data: expect.objectContaining({ temporary: false }),
      }),
    ]);
  });

  it('refuses a wrong current password and counts it towards the lockout', async () => {
    const { handler, written, failures } = setUp();
    expect(await code(handler.execute(own('a guess', 'a brand new passphrase')))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    expect(failures).toEqual(['u-ada']);
    expect(written.update).toBeUndefined();
  });

  it('answers a retry of a change just made with success, changing nothing; once the window has passed, it is a wrong password', async () => {
    const { handler, written, failures, clock } = setUp({
      passwordHash: hash('a brand new passphrase'),
      passwordChangedAt: new Date(NOW - 60_000),
    });
    await expect(handler.execute(own('old passphrase here', 'a brand new passphrase'))).resolves.toBeUndefined();
    expect(written.update).toBeUndefined();
    expect(failures).toEqual([]);
    clock.advance(10 * 60_000);
    expect(await code(handler.execute(own('old passphrase here', 'a brand new passphrase')))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
  });

  it('refuses the current password and the ones the policy remembers', async () => {
    const { handler } = setUp();
    for (const reused of ['old passphrase here', 'older passphrase']) {
      expect(await code(handler.execute(own('old passphrase here', reused)))).toBe(IdentityErrorCode.PasswordReused);
    }
  });

  it("sets an administrator's temporary password without the current one: it must be changed at the next sign-in", async () => {
    const { handler, written, recorded } = setUp();
    await handler.execute(
      new SetPasswordCommand({
        tenantId: 'tenant-a',
        userId: 'u-ada',
        newPassword: 'a temporary passphrase',
        temporary: true,
        actor: 'admin-1',
      }),
    );
    expect(written.update).toMatchObject({ mustChangePassword: true });
    expect(recorded[0]!.data).toMatchObject({ actor: 'admin-1', temporary: true });
  });
});
