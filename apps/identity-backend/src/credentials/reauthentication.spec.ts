import { ManualClock } from '@platform/runtime';
import { IdentityErrorCode } from '../common/identity-error';
import type { LockoutPolicy } from '../tenants/tenant-settings';
import type { User } from '../users/user.entity';
import {
  assertReauthenticated,
  REAUTHENTICATION_MAX_AGE_SECONDS,
  type ReauthenticationChecks,
} from './reauthentication';

describe('assertReauthenticated', () => {
  const POLICY: LockoutPolicy = { maxFailedAttempts: 5, lockSeconds: 60, maxLockSeconds: 900 };
  const user = { id: 'u1', tenantId: 't1', passwordHash: 'hash', lockedUntil: null } as User;
  const clock = new ManualClock(Date.parse('2026-12-01T12:00:00Z'));
  const nowSeconds = () => Math.floor(clock.nowMs() / 1000);

  const checks = (over: { locked?: boolean } = {}) => {
    const failures: string[] = [];
    const policyReads: number[] = [];
    const deps: ReauthenticationChecks = {
      hasher: { verify: async (password: string) => password === 'right' },
      lockout: { isLocked: () => over.locked ?? false, recordFailure: async (u: User) => void failures.push(u.id) },
      lockoutPolicy: async () => {
        policyReads.push(1);
        return POLICY;
      },
      clock,
    };
    return { deps, failures, policyReads };
  };
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code,
    );

  it('passes a sign-in within the window, up to its last second', async () => {
    const { deps } = checks();
    await expect(assertReauthenticated(user, { authTime: nowSeconds() - 10 }, deps)).resolves.toBeUndefined();
    const edge = nowSeconds() - REAUTHENTICATION_MAX_AGE_SECONDS;
    await expect(assertReauthenticated(user, { authTime: edge }, deps)).resolves.toBeUndefined();
  });

  it('wants a new sign-in once the window has passed (the clock moved on), or without auth_time', async () => {
    const { deps } = checks();
    const authTime = nowSeconds();
    clock.advance((REAUTHENTICATION_MAX_AGE_SECONDS + 1) * 1000);
    expect(await code(assertReauthenticated(user, { authTime }, deps))).toBe(
      IdentityErrorCode.ReauthenticationRequired,
    );
    expect(await code(assertReauthenticated(user, {}, deps))).toBe(IdentityErrorCode.ReauthenticationRequired);
  });

  it('takes the right password however old the sign-in; a wrong one counts towards the lockout', async () => {
    const { deps, failures, policyReads } = checks();
    const old = nowSeconds() - 3600;
    await expect(assertReauthenticated(user, { password: 'right', authTime: old }, deps)).resolves.toBeUndefined();
    expect(policyReads).toEqual([]);
    expect(await code(assertReauthenticated(user, { password: 'wrong', authTime: nowSeconds() }, deps))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    expect(failures).toEqual(['u1']);
    expect(policyReads).toEqual([1]);
  });

  it('refuses even the right password on a locked account, without counting it', async () => {
    const { deps, failures } = checks({ locked: true });
    expect(await code(assertReauthenticated(user, { password: 'right' }, deps))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    expect(failures).toEqual([]);
  });

  it('refuses a password for an account that has none (signed up through an external IdP)', async () => {
    const { deps, failures } = checks();
    const federated = { ...user, passwordHash: null } as User;
    expect(await code(assertReauthenticated(federated, { password: 'right' }, deps))).toBe(
      IdentityErrorCode.InvalidCredentials,
    );
    expect(failures).toEqual(['u1']);
  });
});
