import { DataSource, type DataSourceOptions } from 'typeorm';

// Arbitrary but fixed: every replica's migrate step takes the same lock.
const MIGRATION_LOCK_ID = 7_340_221;

/**
 * Applies pending migrations, one transaction each, under a Postgres advisory lock
 * so replicas starting together migrate once. Returns the names applied.
 */
export async function runMigrations(options: DataSourceOptions): Promise<string[]> {
  const dataSource = await new DataSource(options).initialize();
  try {
    await dataSource.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await dataSource.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await dataSource.destroy();
  }
}

/** SQL the entities would need beyond what the migrations built: empty when they agree. */
export async function schemaDriftFromMigrations(dataSource: DataSource): Promise<string[]> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}
