import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { StandardClaims } from '../standard-claims';
import type { User } from '../user.entity';
import { assertAttributesSize } from '../user-attributes';
import { assertVisibleIdentity } from '../visible-identity';
import { UserChangeHandler } from './user-change-handler';

export type UserChanges = { profile: StandardClaims } | { attributes: Record<string, unknown> };

/** Replaces a user's profile (standard claims) or custom attributes. */
export class UpdateUserCommand extends Command<User> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly changes: UserChanges,
  ) {
    super();
  }
}

@CommandHandler(UpdateUserCommand)
export class UpdateUserHandler extends UserChangeHandler implements ICommandHandler<UpdateUserCommand> {
  execute({ tenantId, userId, changes }: UpdateUserCommand): Promise<User> {
    if ('attributes' in changes) assertAttributesSize(changes.attributes);
    else assertVisibleIdentity({ profile: changes.profile });
    return this.changeUser(tenantId, userId, async (manager, user) => {
      Object.assign(user, changes);
      const saved = await this.users.save(manager, user);
      await this.events.record(manager, [userEvent(EventTypes.userUpdated, saved, { changed: Object.keys(changes) })]);
      return saved;
    });
  }
}
