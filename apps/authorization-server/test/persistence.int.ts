import { createTestDatabase, expectNoSchemaDrift, migratedDataSource, type TestDatabase } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { authzDataSourceOptions } from '../src/database/data-source';
import { OidcModelInstance } from '../src/oidc/oidc-model-instance.entity';

describe('authorization-server persistence (real Postgres, migrations only)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('authz_persistence');
    dataSource = await migratedDataSource(authzDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('has entities that match the migrations exactly', async () => {
    await expect(expectNoSchemaDrift(dataSource)).resolves.toBeUndefined();
  });

  it('stores oidc-provider models keyed by (model, id) with a JSONB payload', async () => {
    const instances = dataSource.getRepository(OidcModelInstance);
    const expiresAt = new Date(Date.now() + 60_000);
    await instances.save(
      instances.create({ model: 'Session', id: 's1', payload: { uid: 'u1', accountId: 'a1' }, uid: 'u1', expiresAt }),
    );
    await instances.save(instances.create({ model: 'Grant', id: 's1', payload: { grantId: 'g1' }, grantId: 'g1' }));
    const session = await instances.findOneByOrFail({ model: 'Session', uid: 'u1' });
    expect(session.payload).toEqual({ uid: 'u1', accountId: 'a1' });
    expect(session.expiresAt?.getTime()).toBe(expiresAt.getTime());
    await expect(instances.countBy({ id: 's1' })).resolves.toBe(2);
  });
});
