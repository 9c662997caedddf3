import { runMigrations } from '@platform/database';
import { expectNoSchemaDrift, type TestDatabase } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { identityDataSourceOptions } from '../src/database/data-source';
import { IndexAuditLogByActor1764000016600 } from '../src/database/migrations/1764000016600-index-audit-log-by-actor';
import { Tenant } from '../src/tenants/tenant.entity';
import { migratedIdentityDatabase } from './identity-database.harness';

describe('identity-backend persistence (real Postgres, migrations only)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, dataSource, close } = await migratedIdentityDatabase('identity_persistence'));
  });
  afterAll(() => close?.());

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

  it("lists a tenant's audit entries by actor, newest first, from an index (no sort, no scan of the tenant)", async () => {
    // The query AuditRepository.list builds for ?actor= (and a time range), tenant-scoped.
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query('SET LOCAL enable_seqscan = off');
      const rows: { 'QUERY PLAN': string }[] = await manager.query(
        `EXPLAIN SELECT * FROM audit_log a
          WHERE a.tenant_id = '00000000-0000-4000-8000-000000000001' AND a.actor = 'user-1'
            AND a.created_at >= '2026-01-01T00:00:00Z' AND a.created_at < '2026-02-01T00:00:00Z'
          ORDER BY a.id DESC LIMIT 51`,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan Backward using "?IDX_audit_log_tenant_actor"? on audit_log/);
    expect(plan).toMatch(/Index Cond: .*tenant_id = .*actor.* = /);
    expect(plan).not.toMatch(/Sort/);
  });

  it('down drops the audit log actor index; up builds it, also over one of that name (a failed build leaves one)', async () => {
    const indexed = async () =>
      (
        await dataSource.query(
          `SELECT 1 FROM pg_indexes WHERE tablename = 'audit_log' AND indexname = 'IDX_audit_log_tenant_actor'`,
        )
      ).length === 1;
    const migration = new IndexAuditLogByActor1764000016600();
    const runner = dataSource.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await indexed()).toBe(false);
      await migration.up(runner);
      expect(await indexed()).toBe(true);
      await migration.up(runner);
      expect(await indexed()).toBe(true);
    } finally {
      await runner.release();
    }
  });

  it('re-running migrations is a no-op', async () => {
    await expect(
      runMigrations(identityDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 })),
    ).resolves.toEqual([]);
  });
});
