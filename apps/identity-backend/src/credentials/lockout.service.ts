import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventRecorder } from '../events/event-recorder';
import { EventTypes, userEvent } from '../events/identity-events';
import type { LockoutPolicy } from '../tenants/tenant-settings';
import type { User } from '../users/user.entity';

/**
 * Per-account lockout shared by every sign-in factor (password, TOTP, recovery code, passkey):
 * after `maxFailedAttempts` failures the account is locked for `lockSeconds`, doubling
 * per repeat, capped at `maxLockSeconds`. Failures during a lock do not count, so an
 * attacker cannot keep a victim out beyond the policy window.
 */
@Injectable()
export class LockoutService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventRecorder,
  ) {}

  isLocked(user: Pick<User, 'lockedUntil'>): boolean {
    return user.lockedUntil !== null && user.lockedUntil > new Date();
  }

  /** Atomic increments: concurrent failures can neither be lost nor lock twice. */
  async recordFailure(user: User, policy: LockoutPolicy, factor: 'password' | 'mfa' | 'passkey'): Promise<void> {
    if (this.isLocked(user)) return;
    await this.dataSource.transaction(async (manager) => {
      const [[counted]] = await manager.query(
        'UPDATE users SET failed_login_count = failed_login_count + 1 WHERE id = $1 RETURNING failed_login_count',
        [user.id],
      );
      if (counted.failed_login_count < policy.maxFailedAttempts) return;
      const [[locked]] = await manager.query(
        `UPDATE users SET failed_login_count = 0, lock_count = lock_count + 1,
                locked_until = now() + make_interval(secs => LEAST($2::float8 * power(2, lock_count), $3::float8))
          WHERE id = $1 AND failed_login_count >= $4
          RETURNING locked_until`,
        [user.id, policy.lockSeconds, policy.maxLockSeconds, policy.maxFailedAttempts],
      );
      if (locked) {
        await this.events.record(manager, [
          userEvent(EventTypes.userLocked, user, {
            reason: `too_many_failed_${factor}_attempts`,
            until: locked.locked_until,
            actor: null,
          }),
        ]);
      }
    });
  }

  /** A completed sign-in ends the failure streak. */
  async recordSuccess(userId: string, newPasswordHash: string | null = null): Promise<void> {
    await this.dataSource.query(
      `UPDATE users SET failed_login_count = 0, lock_count = 0, locked_until = NULL, last_login_at = now(),
              password_hash = COALESCE($2, password_hash)
        WHERE id = $1`,
      [userId, newPasswordHash],
    );
  }
}
