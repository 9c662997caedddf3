import type { DataSource } from 'typeorm';
import { TenantAdminManagesApplications1764000013700 } from '../src/database/migrations/1764000013700-tenant-admin-manages-applications';
import { BUILT_IN_ROLES } from '../src/roles/built-in-roles';
import { Tenant } from '../src/tenants/tenant.entity';
import { migratedIdentityDatabase } from './identity-database.harness';

const APPLICATIONS = ['authz-clients:read', 'authz-clients:write'];

/** A tenant administrator registers the tenant's applications (issue 15): new tenants and existing ones. */
describe('the built-in tenant-admin role manages applications', () => {
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, close } = await migratedIdentityDatabase('identity_tenant_admin_role'));
  });
  afterAll(() => close?.());

  it("is in every new tenant's tenant-admin role", () => {
    const tenantAdmin = BUILT_IN_ROLES.find((role) => role.name === 'tenant-admin')!;
    expect(tenantAdmin.permissions).toEqual(expect.arrayContaining(APPLICATIONS));
  });

  it("is added to existing tenants' tenant-admin roles once, leaving other roles alone", async () => {
    const tenants = dataSource.getRepository(Tenant);
    const older = await tenants.save(tenants.create({ slug: 'older', displayName: 'Older' }));
    const partly = await tenants.save(tenants.create({ slug: 'partly', displayName: 'Partly' }));
    // Roles as tenants created before the migration have them (one already had a client permission).
    const insert = (tenantId: string, name: string, permissions: string[]) =>
      dataSource.query(`INSERT INTO roles (tenant_id, name, permissions) VALUES ($1, $2, $3)`, [
        tenantId,
        name,
        permissions,
      ]);
    await insert(older.id, 'tenant-admin', ['users:read', 'audit:read']);
    await insert(older.id, 'auditor', ['audit:read']);
    await insert(partly.id, 'tenant-admin', ['users:read', 'authz-clients:read']);

    const migration = new TenantAdminManagesApplications1764000013700();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    const rows: { slug: string; name: string; permissions: string[] }[] = await dataSource.query(
      `SELECT t.slug, r.name, r.permissions FROM roles r JOIN tenants t ON t.id = r.tenant_id
        WHERE t.slug IN ('older', 'partly') ORDER BY t.slug, r.name`,
    );
    expect(rows).toEqual([
      { slug: 'older', name: 'auditor', permissions: ['audit:read'] },
      { slug: 'older', name: 'tenant-admin', permissions: ['users:read', 'audit:read', ...APPLICATIONS] },
      { slug: 'partly', name: 'tenant-admin', permissions: ['users:read', ...APPLICATIONS] },
    ]);
  });
});
