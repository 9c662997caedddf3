import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { timestampSortKey } from '../common/cursor';
import { Tenant } from './tenant.entity';

const CREATED_MS = timestampSortKey('t.created_at');

@Injectable()
export class TenantsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Tenant | null> {
    return manager.findOneBy(Tenant, { id });
  }

  /** Tenant references from outside (login hints, the authorization server) may be an id or a slug. */
  findByIdOrSlug(ref: string): Promise<Tenant | null> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    return isUuid ? this.findById(ref) : this.findBySlug(ref);
  }

  findBySlug(slug: string): Promise<Tenant | null> {
    return this.dataSource.manager.findOneBy(Tenant, { slug });
  }

  /** Tenants in creation order, after the given id (keyset pagination). */
  list(limit: number, afterId?: { createdAt: Date; id: string }): Promise<Tenant[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(Tenant, 't')
      .orderBy(CREATED_MS, 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit);
    if (afterId) query.where(`(${CREATED_MS}, t.id) > (:createdAt, :id)`, afterId);
    return query.getMany();
  }

  save(manager: EntityManager, tenant: Tenant): Promise<Tenant> {
    return manager.save(Tenant, tenant);
  }
}
