import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { User } from '../user.entity';
import { existingUser, UsersRepository } from '../users.repository';

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
export class VerifyEmailHandler implements ICommandHandler<VerifyEmailCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly events: EventRecorder,
  ) {}

  execute({ tenantId, userId, actor }: VerifyEmailCommand): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
      const user = existingUser(await this.users.findById(tenantId, userId, manager));
      if (user.emailVerified) return user;
      user.emailVerified = true;
      const saved = await this.users.save(manager, user);
      await this.events.record(manager, [userEvent(EventTypes.userEmailVerified, saved, { actor, method: 'admin' })]);
      return saved;
    });
  }
}
