import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { User } from '../user.entity';
import { UserChangeHandler } from './user-change-handler';

/** Marks a user's address verified (an administrator vouching for it). Idempotent. */
export class VerifyEmailCommand extends Command<User> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly actor: string | null,
  ) {
    super();
  }
}

@CommandHandler(VerifyEmailCommand)
export class VerifyEmailHandler extends UserChangeHandler implements ICommandHandler<VerifyEmailCommand> {
  execute({ tenantId, userId, actor }: VerifyEmailCommand): Promise<User> {
    return this.changeUser(tenantId, userId, async (manager, user) => {
      if (user.emailVerified) return user;
      user.emailVerified = true;
      const saved = await this.users.save(manager, user);
      await this.events.record(manager, [userEvent(EventTypes.userEmailVerified, saved, { actor, method: 'admin' })]);
      return saved;
    });
  }
}
