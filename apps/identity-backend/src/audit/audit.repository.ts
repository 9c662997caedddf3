import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntry } from './audit-entry.entity';

/** Every tenant at once: only for platform administrators (the caller decides, the type makes it explicit). */
export const ALL_TENANTS = Symbol('all tenants');
export type AuditTenant = string | typeof ALL_TENANTS;

export interface AuditFilters {
  action?: string;
  targetId?: string;
  /** Who acted: a user or client id, as recorded in `actor`. */
  actor?: string;
  /** Recorded at or after this instant. */
  from?: Date;
  /** Recorded before this instant. */
  to?: Date;
}

/** Reads of the append-only audit log, newest first, keyset-paged by id. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` entries older than the entry `beforeId` (when given). */
  list(tenant: AuditTenant, filters: AuditFilters, limit: number, beforeId?: string): Promise<AuditEntry[]> {
    const query = this.dataSource.manager.createQueryBuilder(AuditEntry, 'a').orderBy('a.id', 'DESC').limit(limit);
    if (tenant !== ALL_TENANTS) query.andWhere('a.tenant_id = :tenantId', { tenantId: tenant });
    if (filters.targetId) query.andWhere('a.target_id = :targetId', { targetId: filters.targetId });
    if (filters.action) query.andWhere('a.action = :action', { action: filters.action });
    if (filters.actor) query.andWhere('a.actor = :actor', { actor: filters.actor });
    if (filters.from) query.andWhere('a.created_at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('a.created_at < :to', { to: filters.to });
    if (beforeId) query.andWhere('a.id < :beforeId', { beforeId });
    return query.getMany();
  }
}
