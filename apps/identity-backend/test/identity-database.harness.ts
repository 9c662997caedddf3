import { createTestDatabase, migratedDataSource } from '@platform/testing';
import { identityDataSourceOptions } from '../src/database/data-source';

/** A fresh identity database with every migration run and a data source on it (no service); `close` drops it. */
export async function migratedIdentityDatabase(prefix: string) {
  const db = await createTestDatabase(prefix);
  try {
    const dataSource = await migratedDataSource(
      identityDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }),
    );
    return {
      db,
      dataSource,
      async close() {
        await dataSource.destroy();
        await db.drop();
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
