import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { Tenant } from '../tenant.entity';
import { TenantsRepository } from '../tenants.repository';

export class GetTenantQuery extends Query<Tenant> {
  constructor(readonly tenantId: string) {
    super();
  }
}

@QueryHandler(GetTenantQuery)
export class GetTenantHandler implements IQueryHandler<GetTenantQuery> {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute({ tenantId }: GetTenantQuery): Promise<Tenant> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    return tenant;
  }
}
