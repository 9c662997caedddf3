import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@platform/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { User } from '../user.entity';
import { STATUS_TRANSITIONS, type StatusAction } from '../user-status';
import { existingUser, UsersRepository } from '../users.repository';

export class ChangeUserStatusCommand extends Command<User> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly action: StatusAction,
    readonly reason: string | null,
    readonly actor: string | null,
  ) {
    super();
  }
}

/** lock / unlock / disable / enable / delete (soft), each with its reason recorded and its event raised. */
@CommandHandler(ChangeUserStatusCommand)
export class ChangeUserStatusHandler implements ICommandHandler<ChangeUserStatusCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  execute({ tenantId, userId, action, reason, actor }: ChangeUserStatusCommand): Promise<User> {
    const transition = STATUS_TRANSITIONS[action];
    return this.dataSource.transaction(async (manager) => {
      // Row lock: two concurrent transitions must not both pass the "from" check.
      const user = existingUser(await this.users.findForUpdate(manager, tenantId, userId));
      const now = this.clock.now();
      const temporarilyLocked = user.lockedUntil !== null && user.lockedUntil > now;
      if (action === 'unlock' && user.status === 'active' && temporarilyLocked) {
        return this.clearTemporaryLock(manager, user, reason, actor);
      }
      if (!transition.from.includes(user.status)) {
        throw new IdentityError(
          IdentityErrorCode.InvalidStatusTransition,
          `Cannot ${action} a user who is ${user.status}`,
          {
            status: user.status,
          },
        );
      }
      user.status = transition.to;
      if (action === 'unlock') Object.assign(user, { lockedUntil: null, failedLoginCount: 0, lockCount: 0 });
      user.statusReason = reason;
      if (transition.to === 'deleted') user.deletedAt = now;
      const saved = await this.users.save(manager, user);
      await this.events.record(manager, [userEvent(transition.event, saved, { reason, actor })]);
      return saved;
    });
  }

  /** An administrator lifting the lock that failed sign-ins imposed. */
  private async clearTemporaryLock(manager: EntityManager, user: User, reason: string | null, actor: string | null) {
    Object.assign(user, { lockedUntil: null, failedLoginCount: 0, lockCount: 0, statusReason: reason });
    const saved = await this.users.save(manager, user);
    await this.events.record(manager, [userEvent(EventTypes.userUnlocked, saved, { reason, actor })]);
    return saved;
  }
}
