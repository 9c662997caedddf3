import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { User } from '../users/user.entity';
import { Impersonation } from './impersonation.entity';

/** Every look-up names the tenant (or the one-time ticket, which names exactly one row). */
@Injectable()
export class ImpersonationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(manager: EntityManager, row: Omit<Impersonation, 'id' | 'createdAt'>): Promise<Impersonation> {
    return manager.save(manager.create(Impersonation, row));
  }

  /** The row a ticket names, locked until the transaction ends (a ticket is redeemed once). */
  byTicket(manager: EntityManager, ticketHash: string): Promise<Impersonation | null> {
    return manager.findOne(Impersonation, { where: { ticketHash }, lock: { mode: 'pessimistic_write' } });
  }

  /** The impersonation of `userId` by `actorId` (the token's act.sub) under way: redeemed, not ended, not run out; the newest. */
  open(
    tenantId: string,
    userId: string,
    actorId: string,
    now: Date,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Impersonation | null> {
    return manager.findOne(Impersonation, {
      where: { tenantId, userId, actorId, redeemedAt: Not(IsNull()), endedAt: IsNull(), expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC' },
    });
  }

  /** Impersonations past their end that nobody ended, locked (skipping those another replica holds). */
  overdue(manager: EntityManager, now: Date, limit: number): Promise<Impersonation[]> {
    return manager.find(Impersonation, {
      where: { endedAt: IsNull(), expiresAt: LessThanOrEqual(now) },
      take: limit,
      lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
    });
  }

  /** The administrator of an impersonation (a platform operator belongs to another tenant than the user). */
  actorOf(row: Pick<Impersonation, 'actorId'>): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { id: row.actorId });
  }

  save(manager: EntityManager, row: Impersonation): Promise<Impersonation> {
    return manager.save(row);
  }
}
