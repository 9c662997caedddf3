import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ImpersonationSession } from './impersonation-session.entity';

@Injectable()
export class ImpersonationSessionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async save(row: Omit<ImpersonationSession, 'createdAt'>): Promise<void> {
    await this.dataSource.manager.upsert(ImpersonationSession, row, ['sessionUid']);
  }

  async deleteBySession(sessionUid: string): Promise<number> {
    return (await this.dataSource.manager.delete(ImpersonationSession, { sessionUid })).affected ?? 0;
  }

  bySession(sessionUid: string): Promise<ImpersonationSession | null> {
    return this.dataSource.manager.findOneBy(ImpersonationSession, { sessionUid });
  }

  /** Housekeeping: sessions a day past their end (tokens outlive nothing here by then). */
  async pruneBefore(cutoff: Date): Promise<number> {
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .delete()
      .from(ImpersonationSession)
      .where('expires_at < :cutoff', { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}
