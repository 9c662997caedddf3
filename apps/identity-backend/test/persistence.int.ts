import { runMigrations } from '@platform/database';
import { createTestDatabase, expectNoSchemaDrift, migratedDataSource, type TestDatabase } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { identityDataSourceOptions } from '../src/database/data-source';
import { Tenant } from '../src/tenants/tenant.entity';

describe('identity-backend persistence (real Postgres, migrations only)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('identity_persistence');
    dataSource = await migratedDataSource(identityDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('has entities that match the migrations exactly', async () => {
    await expect(expectNoSchemaDrift(dataSource)).resolves.toBeUndefined();
  });

  it('writes and reads a tenant through TypeORM with database defaults applied', async () => {
    const tenants = dataSource.getRepository(Tenant);
    const saved = await tenants.save(tenants.create({ slug: 'acme', displayName: 'Acme Corp' }));
    const loaded = await tenants.findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({ slug: 'acme', displayName: 'Acme Corp', status: 'active', settings: {} });
    expect(loaded.createdAt).toBeInstanceOf(Date);
  });

  it('enforces unique tenant slugs in the database', async () => {
    const tenants = dataSource.getRepository(Tenant);
    await tenants.save(tenants.create({ slug: 'unique-one', displayName: 'One' }));
    await expect(tenants.save(tenants.create({ slug: 'unique-one', displayName: 'Two' }))).rejects.toThrow(
      /duplicate key/,
    );
  });

  it('re-running migrations is a no-op', async () => {
    await expect(
      runMigrations(identityDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 })),
    ).resolves.toEqual([]);
  });
});
