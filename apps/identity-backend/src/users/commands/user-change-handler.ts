import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EventRecorder } from '../../events/event-recorder';
import type { User } from '../user.entity';
import { existingUser, UsersRepository } from '../users.repository';

/**
 * A handler that changes one existing (not deleted) user and records the event in the same
 * transaction, so the change and what it announces commit together.
 */
export abstract class UserChangeHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    protected readonly users: UsersRepository,
    protected readonly events: EventRecorder,
  ) {}

  protected changeUser<T>(
    tenantId: string,
    userId: string,
    change: (manager: EntityManager, user: User) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) =>
      change(manager, existingUser(await this.users.findById(tenantId, userId, manager))),
    );
  }
}
