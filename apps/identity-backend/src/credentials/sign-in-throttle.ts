import { Inject, Injectable } from '@nestjs/common';
import { abuseLimits, type RateLimit, RateLimiter } from '../common/rate-limiter';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';
import type { LockoutPolicy } from '../tenants/tenant-settings';
import type { User } from '../users/user.entity';

/**
 * Throttling of password sign-ins that an attacker cannot turn against the innocent
 * (OWASP "Slow down online guessing attacks with device cookies"):
 *
 * - Failures are counted per (client IP, tenant): one address spraying passwords at one tenant
 *   is slowed there, not in every other tenant behind the same proxy.
 * - After a successful sign-in the authorization server gives the browser a *device cookie*
 *   (HMAC-signed, HttpOnly: a random device id bound to the user and tenant) and presents its
 *   claim on later sign-ins. When the login resolves to that same user, the device is trusted:
 *   the per-IP throttle and the per-account lock that untrusted clients caused do not apply, so
 *   a correct password from a known browser always gets through.
 * - Failures presented with a device cookie count against that device: after
 *   LOGIN_DEVICE_MAX_FAILURES within its window the cookie is no longer honoured (and the
 *   attempts count as untrusted again). An attacker without the cookie gains nothing; one who
 *   stole it gets a handful of guesses.
 * - Untrusted clients keep the per-account progressive lockout (LockoutService).
 */
@Injectable()
export class SignInThrottle {
  private readonly perIp: RateLimit;
  private readonly perDevice: RateLimit;

  constructor(
    private readonly limiter: RateLimiter,
    @Inject(IDENTITY_CONFIG) config: IdentityBackendConfig,
  ) {
    ({ loginFailuresPerIp: this.perIp, loginFailuresPerDevice: this.perDevice } = abuseLimits(config));
  }

  /** Seconds this client IP must wait before signing in to this tenant again, or 0. */
  ipRetryAfter(clientIp: string, tenantKey: string): Promise<number> {
    return this.limiter.retryAfter(this.perIp, `${tenantKey}|${clientIp}`);
  }

  async recordIpFailure(clientIp: string, tenantKey: string): Promise<void> {
    await this.limiter.hit({ limit: this.perIp, key: `${tenantKey}|${clientIp}` });
  }

  /** Whether a device cookie (already verified by the authorization server) is still honoured. */
  async deviceTrusted(deviceId: string): Promise<boolean> {
    return (await this.limiter.retryAfter(this.perDevice, deviceId)) === 0;
  }

  async recordDeviceFailure(deviceId: string): Promise<void> {
    await this.limiter.hit({ limit: this.perDevice, key: deviceId });
  }

  /**
   * Whether a right password on a temporarily locked account may be told "locked". Only the
   * right password hears it (so it reveals nothing to who lacks it), and only until as many
   * wrong guesses as the policy allows were made during this lock: otherwise the answer would
   * be a password oracle for guessing through the lock.
   */
  async mayRevealLock(user: User, policy: LockoutPolicy): Promise<boolean> {
    return (await this.limiter.retryAfter(this.duringLock(policy), lockKey(user))) === 0;
  }

  async recordFailureDuringLock(user: User, policy: LockoutPolicy): Promise<void> {
    await this.limiter.hit({ limit: this.duringLock(policy), key: lockKey(user) });
  }

  private duringLock(policy: LockoutPolicy): RateLimit {
    // Keyed by the lock itself, so the count starts afresh with every lock; a day outlasts any lock.
    return { name: 'login_failures_while_locked', max: policy.maxFailedAttempts, windowSeconds: 86_400 };
  }
}

const lockKey = (user: User) => `${user.id}|${user.lockedUntil?.getTime() ?? 0}`;
