import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { type TenantScope, tenantWhere } from '../access/management-access';
import { OAuthClient } from '../clients/oauth-client.entity';
import { CustomScope } from './custom-scope.entity';

/** Who a mapping is for: everyone (both null), a tenant's users, or one client's. */
export interface CustomScopeTarget {
  scope: string;
  tenantId: string | null;
  clientId: string | null;
}

/** Custom scope mappings, within a TenantScope like the clients they may name. */
@Injectable()
export class CustomScopesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(scope: TenantScope): Promise<CustomScope[]> {
    return this.dataSource.manager.find(CustomScope, { where: tenantWhere(scope), order: { createdAt: 'ASC' } });
  }

  clientExists(scope: TenantScope, clientId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(OAuthClient, { clientId, ...tenantWhere(scope) });
  }

  /** The saved mapping, or null when the target has one already. */
  async createUnlessMapped(
    target: CustomScopeTarget,
    fields: Pick<CustomScope, 'claim' | 'source' | 'description'>,
  ): Promise<CustomScope | null> {
    return this.dataSource.transaction(async (manager) => {
      // One mapping per scope and audience (everyone / a tenant / a client); serialized, as NULLs defeat a unique index.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('custom_scopes'))`);
      const where = { ...target, tenantId: target.tenantId ?? IsNull(), clientId: target.clientId ?? IsNull() };
      if (await manager.existsBy(CustomScope, where)) return null;
      return manager.save(CustomScope, Object.assign(new CustomScope(), { ...target, ...fields }));
    });
  }

  /** Whether there was one in the scope to remove. */
  async remove(scope: TenantScope, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(CustomScope, { id, ...tenantWhere(scope) });
    return Boolean(result.affected);
  }
}
