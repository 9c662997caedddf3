import type { CommandBus } from '@nestjs/cqrs';
import { SystemClock } from '@platform/runtime';
import { IdentityErrorCode } from '../common/identity-error';
import type { LockoutService } from '../credentials/lockout.service';
import type { PasswordHasher } from '../credentials/password-hasher';
import { EraseUserCommand } from '../gdpr/gdpr.commands';
import type { TenantsRepository } from '../tenants/tenants.repository';
import type { User } from '../users/user.entity';
import type { UsersRepository } from '../users/users.repository';
import { REAUTHENTICATION_MAX_AGE_SECONDS } from '../credentials/reauthentication';
import { DeleteMyAccountCommand, DeleteMyAccountHandler } from './delete-my-account.command';

describe('DeleteMyAccountHandler', () => {
  const user = { id: 'u1', tenantId: 't1', status: 'active', passwordHash: 'hash', lockedUntil: null } as User;
  const erased: unknown[] = [];
  const failures: string[] = [];
  const handler = new DeleteMyAccountHandler(
    { findById: async () => user } as unknown as UsersRepository,
    { findById: async () => null } as unknown as TenantsRepository,
    { verify: async (password: string) => password === 'right' } as unknown as PasswordHasher,
    {
      isLocked: () => false,
      recordFailure: async (u: User) => void failures.push(u.id),
    } as unknown as LockoutService,
    { execute: async (command: unknown) => void erased.push(command) } as unknown as CommandBus,
    new SystemClock(),
  );
  const now = () => Math.floor(Date.now() / 1000);
  const rejection = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code,
    );

  beforeEach(() => {
    erased.length = 0;
    failures.length = 0;
  });

  it('erases the account after a fresh sign-in', async () => {
    await handler.execute(new DeleteMyAccountCommand('t1', 'u1', { authTime: now() - 10 }));
    expect(erased).toEqual([new EraseUserCommand('t1', 'u1', 'u1')]);
  });

  it('wants re-authentication when the sign-in is older than the limit, or unknown', async () => {
    const stale = now() - REAUTHENTICATION_MAX_AGE_SECONDS - 5;
    for (const authTime of [stale, undefined]) {
      expect(await rejection(handler.execute(new DeleteMyAccountCommand('t1', 'u1', { authTime })))).toBe(
        IdentityErrorCode.ReauthenticationRequired,
      );
    }
    expect(erased).toEqual([]);
  });

  it('accepts the right password however old the sign-in, and counts a wrong one towards the lockout', async () => {
    const stale = now() - 3600;
    expect(
      await rejection(handler.execute(new DeleteMyAccountCommand('t1', 'u1', { password: 'wrong', authTime: stale }))),
    ).toBe(IdentityErrorCode.InvalidCredentials);
    expect(failures).toEqual(['u1']);
    expect(erased).toEqual([]);
    await handler.execute(new DeleteMyAccountCommand('t1', 'u1', { password: 'right', authTime: stale }));
    expect(erased).toHaveLength(1);
  });
});
