import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { User } from '../users/user.entity';
import { PasswordHistory } from './password-history.entity';

/** A user's earlier password hashes (the policy's historySize). Callers pass a user already found in its tenant. */
@Injectable()
export class PasswordHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's earlier hashes, newest first, at most `count` (TypeORM reads a `take` of 0 as no limit). */
  async recentHashes(user: Pick<User, 'id' | 'tenantId'>, count: number): Promise<string[]> {
    const previous = await this.dataSource.manager.find(PasswordHistory, {
      where: { userId: user.id },
      order: { createdAt: 'DESC' },
      take: count,
    });
    return previous.map((p) => p.passwordHash);
  }

  /** Keeps the outgoing hash, and only the newest `keep` of all. */
  async remember(
    manager: EntityManager,
    user: Pick<User, 'id' | 'tenantId'>,
    hash: string,
    keep: number,
  ): Promise<void> {
    await manager.insert(PasswordHistory, { userId: user.id, passwordHash: hash });
    await manager.query(
      `DELETE FROM password_history WHERE user_id = $1 AND id NOT IN (
         SELECT id FROM password_history WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2)`,
      [user.id, keep],
    );
  }
}
