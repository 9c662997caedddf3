import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiError } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { resolveTenantSettings, type LockoutPolicy } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { User } from '../../users/user.entity';
import { IpThrottle } from '../ip-throttle';
import { PasswordHasher } from '../password-hasher';

export interface VerifiedCredentials {
  userId: string;
  tenantId: string;
  status: 'active';
  mfaRequired: boolean;
  mfaMethods: string[];
  amr: string[];
  mustChangePassword: boolean;
}

export class VerifyCredentialsCommand extends Command<VerifiedCredentials> {
  constructor(
    readonly tenant: string,
    readonly login: string,
    readonly password: string,
    /** The end user's address as seen by the authorization server, for per-IP throttling. */
    readonly clientIp: string,
  ) {
    super();
  }
}

/**
 * Password sign-in check for the authorization server. Unknown user, wrong password,
 * locked, disabled and deleted accounts all fail the same way after the same bcrypt
 * work, so neither the answer nor its timing tells them apart.
 */
@CommandHandler(VerifyCredentialsCommand)
export class VerifyCredentialsHandler implements ICommandHandler<VerifyCredentialsCommand> {
  private dummyHash: Promise<string> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly ipThrottle: IpThrottle,
    private readonly events: EventRecorder,
  ) {}

  async execute({
    tenant: tenantRef,
    login,
    password,
    clientIp,
  }: VerifyCredentialsCommand): Promise<VerifiedCredentials> {
    const retryAfter = await this.ipThrottle.retryAfterSeconds(clientIp);
    if (retryAfter > 0) {
      throw new ApiError(429, 'too_many_attempts', 'Too many failed sign-ins from this address; try again later', {
        retryAfter,
      });
    }
    const tenant = await this.tenants.findByIdOrSlug(tenantRef);
    const user = tenant?.status === 'active' ? await this.findUser(tenant.id, login) : null;
    const policy = resolveTenantSettings(tenant?.settings ?? {}).lockoutPolicy;

    const passwordOk = await this.hasher.verify(password, user?.passwordHash ?? (await this.getDummyHash()));
    const temporarilyLocked = user?.lockedUntil != null && user.lockedUntil > new Date();
    if (!user || !passwordOk || temporarilyLocked || user.status !== 'active') {
      await this.ipThrottle.recordFailure(clientIp);
      // Failures during a lock do not extend it: a victim is never locked out beyond the policy.
      if (user && !passwordOk && !temporarilyLocked) await this.countFailure(user, policy);
      throw invalidCredentials();
    }

    await this.recordSuccess(user, password);
    const mfaMethods: string[] = [];
    const mfaRequired = resolveTenantSettings(tenant!.settings).mfaPolicy === 'required' || mfaMethods.length > 0;
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired,
      mfaMethods,
      amr: ['pwd'],
      mustChangePassword: user.mustChangePassword,
    };
  }

  private findUser(tenantId: string, login: string): Promise<User | null> {
    const email = canonicalEmail(login);
    const where = email
      ? { tenantId, emailCanonical: email }
      : { tenantId, usernameCanonical: login.trim().toLowerCase() };
    return this.dataSource.manager.findOneBy(User, where);
  }

  /** Atomic increments: concurrent failures can neither be lost nor lock twice. */
  private async countFailure(user: User, policy: LockoutPolicy): Promise<void> {
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
            reason: 'too_many_failed_sign_ins',
            until: locked.locked_until,
            actor: null,
          }),
        ]);
      }
    });
  }

  private async recordSuccess(user: User, password: string): Promise<void> {
    const rehash = this.hasher.needsRehash(user.passwordHash!) ? await this.hasher.hash(password) : null;
    await this.dataSource.query(
      `UPDATE users SET failed_login_count = 0, lock_count = 0, locked_until = NULL, last_login_at = now(),
              password_hash = COALESCE($2, password_hash)
        WHERE id = $1`,
      [user.id, rehash],
    );
  }

  /** A real hash at today's cost, so an unknown login costs the same as a known one. */
  private getDummyHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(`dummy-${Math.random()}`);
    return this.dummyHash;
  }
}

const invalidCredentials = () => new IdentityError(IdentityErrorCode.InvalidCredentials, 'Invalid credentials');
