import { runMigrations, schemaDriftFromMigrations } from '@platform/database';
import { DataSource, type DataSourceOptions } from 'typeorm';

/** Applies a service's migrations to a database and returns a connected DataSource on it. */
export async function migratedDataSource(options: DataSourceOptions): Promise<DataSource> {
  await runMigrations(options);
  return new DataSource(options).initialize();
}

/**
 * Fails when the entities describe a schema the migrations did not build
 * (an entity changed without a migration), listing the SQL that is missing.
 */
export async function expectNoSchemaDrift(dataSource: DataSource): Promise<void> {
  const missing = await schemaDriftFromMigrations(dataSource);
  if (missing.length > 0) {
    throw new Error(`Entities and migrations disagree; a migration is missing for:\n${missing.join(';\n')}`);
  }
}
