import type { Clock } from '@platform/runtime';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import type { LockoutPolicy } from '../tenants/tenant-settings';
import type { User } from '../users/user.entity';
import type { LockoutService } from './lockout.service';
import type { PasswordHasher } from './password-hasher';

/** How recent a sign-in (the token's `auth_time`) must be to act on the account without the password. */
export const REAUTHENTICATION_MAX_AGE_SECONDS = 300;

/** Proof that whoever acts on the account is its owner right now, not whoever holds an old token. */
export interface Reauthentication {
  password?: string;
  /** The access token's `auth_time` (seconds since the epoch), when the sign-in it came from was recent. */
  authTime?: number;
}

/** What the check uses: the handler's own collaborators. */
export interface ReauthenticationChecks {
  hasher: Pick<PasswordHasher, 'verify'>;
  lockout: Pick<LockoutService, 'isLocked' | 'recordFailure'>;
  /** The tenant's lockout policy, read only when a wrong password has to be counted. */
  lockoutPolicy(): Promise<LockoutPolicy>;
  clock: Clock;
}

/**
 * The re-authentication of sensitive self-service steps (deleting the account, changing its
 * address): the current password however old the sign-in, or else a sign-in at most
 * REAUTHENTICATION_MAX_AGE_SECONDS ago. Throws invalid_credentials or reauthentication_required.
 */
export async function assertReauthenticated(
  user: User,
  { password, authTime }: Reauthentication,
  checks: ReauthenticationChecks,
): Promise<void> {
  if (password !== undefined) {
    const ok = user.passwordHash !== null && (await checks.hasher.verify(password, user.passwordHash));
    if (ok && !checks.lockout.isLocked(user)) return;
    // A stolen token must not become an oracle for the password: failures count towards the lockout.
    if (!ok) await checks.lockout.recordFailure(user, await checks.lockoutPolicy(), 'password');
    throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'The password is not correct');
  }
  if (authTime !== undefined && checks.clock.nowMs() / 1000 - authTime <= REAUTHENTICATION_MAX_AGE_SECONDS) return;
  throw new IdentityError(
    IdentityErrorCode.ReauthenticationRequired,
    `Sign in again (at most ${REAUTHENTICATION_MAX_AGE_SECONDS / 60} minutes ago) or give your password`,
  );
}
