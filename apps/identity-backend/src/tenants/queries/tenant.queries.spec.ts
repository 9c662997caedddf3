import { IdentityErrorCode } from '../../common/identity-error';
import { errorCode } from '../../users/commands/commands.spec-helper';
import type { Tenant } from '../tenant.entity';
import type { TenantsRepository } from '../tenants.repository';
import { GetTenantHandler, GetTenantQuery } from './tenant.queries';

describe('tenant queries', () => {
  const acme = { id: 'tenant-a', slug: 'acme', status: 'active' } as Tenant;
  const tenants = {
    findById: async (id: string) => (id === acme.id ? acme : null),
  };
  const repo = tenants as unknown as TenantsRepository;

  it('finds a tenant by id; an unknown one is tenant_not_found', async () => {
    const handler = new GetTenantHandler(repo);
    await expect(handler.execute(new GetTenantQuery('tenant-a'))).resolves.toBe(acme);
    expect(await errorCode(handler.execute(new GetTenantQuery('acme')))).toBe(IdentityErrorCode.TenantNotFound);
  });
});
