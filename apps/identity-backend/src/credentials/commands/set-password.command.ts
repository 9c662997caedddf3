import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@platform/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import { existingUser, UsersRepository } from '../../users/users.repository';
import { LockoutService } from '../lockout.service';
import { PasswordHasher } from '../password-hasher';
import { PasswordHistoryRepository } from '../password-history.repository';
import { PasswordService } from '../password.service';

export interface PasswordChange {
  tenantId: string;
  userId: string;
  newPassword: string;
  /** Required when users change their own password; absent when an administrator sets one. */
  currentPassword?: string;
  /** An administrator's temporary password: the user must change it at next sign-in. */
  temporary?: boolean;
  actor: string | null;
  /** Work that must commit with the change or not at all, e.g. spending a reset token. */
  alongside?: (manager: EntityManager) => Promise<unknown>;
}

/** How long after a change the same change sent again counts as a retry of it. */
const REPEATED_CHANGE_WINDOW_MS = 10 * 60_000;

export class SetPasswordCommand extends Command<void> {
  constructor(readonly change: PasswordChange) {
    super();
  }
}

/**
 * Changes a password under the tenant policy, refusing the last N passwords. The
 * password_changed event makes the authorization server end the user's sessions.
 */
@CommandHandler(SetPasswordCommand)
export class SetPasswordHandler implements ICommandHandler<SetPasswordCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly history: PasswordHistoryRepository,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly passwords: PasswordService,
    private readonly lockout: LockoutService,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ change }: SetPasswordCommand): Promise<void> {
    const user = existingUser(await this.users.findById(change.tenantId, change.userId));
    const settings = resolveTenantSettings((await this.tenants.findById(change.tenantId))?.settings ?? {});

    if (change.currentPassword !== undefined) {
      const ok = user.passwordHash !== null && (await this.hasher.verify(change.currentPassword, user.passwordHash));
      if (!ok && (await this.alreadyApplied(user, change))) return;
      if (!ok || this.lockout.isLocked(user)) {
        if (!ok) await this.lockout.recordFailure(user, settings.lockoutPolicy, 'password');
        throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'The current password is not correct');
      }
    }
    const newHash = await this.passwords.hashNewPassword(change.newPassword, settings.passwordPolicy, {
      email: user.emailCanonical,
      username: user.username,
    });
    await this.assertNotReused(user, change.newPassword, settings.passwordPolicy.historySize);

    await this.dataSource.transaction(async (manager) => {
      await change.alongside?.(manager);
      // The outgoing hash is kept, and only as many as the policy looks back.
      if (user.passwordHash) {
        const keep = Math.max(settings.passwordPolicy.historySize - 1, 0);
        await this.history.remember(manager, user, user.passwordHash, keep);
      }
      await this.users.update(manager, user, {
        passwordHash: newHash,
        passwordChangedAt: this.clock.now(),
        mustChangePassword: change.temporary === true,
      });
      await this.events.record(manager, [
        userEvent(EventTypes.userPasswordChanged, user, { actor: change.actor, temporary: change.temporary === true }),
      ]);
    });
  }

  /**
   * The same change sent again, because its answer was lost (a timeout, a dropped connection):
   * the current password no longer matches since the change was made, but the new one does and
   * was set moments ago. Answer success without changing anything, so a retry never locks the
   * user out of the password they just chose. Only whoever knows the new password gets here.
   */
  private async alreadyApplied(user: User, change: PasswordChange): Promise<boolean> {
    const recent =
      user.passwordChangedAt !== null &&
      this.clock.nowMs() - user.passwordChangedAt.getTime() < REPEATED_CHANGE_WINDOW_MS;
    return (
      recent &&
      change.temporary !== true &&
      !user.mustChangePassword &&
      user.passwordHash !== null &&
      !this.lockout.isLocked(user) &&
      (await this.hasher.verify(change.newPassword, user.passwordHash))
    );
  }

  private async assertNotReused(user: User, password: string, historySize: number): Promise<void> {
    if (historySize === 0) return;
    const previous = await this.history.recentHashes(user, historySize - 1);
    const hashes = [user.passwordHash, ...previous].filter((h): h is string => h !== null);
    for (const hash of hashes) {
      if (await this.hasher.verify(password, hash)) {
        throw new IdentityError(
          IdentityErrorCode.PasswordReused,
          `The password must differ from the last ${historySize}`,
        );
      }
    }
  }
}
