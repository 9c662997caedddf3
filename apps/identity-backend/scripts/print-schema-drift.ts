/**
 * Developer aid for writing a migration: migrates a throw-away embedded Postgres with
 * the existing migrations and prints the SQL the entities still need.
 *   npm run -s build && node dist/apps/identity-backend/scripts/print-schema-drift.js
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations, schemaDriftFromMigrations } from '@platform/database';
import { freePort, startLocalPostgres } from '@platform/local-infra';
import { DataSource } from 'typeorm';
import { identityDataSourceOptions } from '../src/database/data-source';

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'schema-drift-'));
  const postgres = await startLocalPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), databases: ['drift'] });
  try {
    const options = identityDataSourceOptions({ DATABASE_URL: postgres.urlFor('drift'), DATABASE_POOL_SIZE: 2 });
    await runMigrations(options);
    const dataSource = await new DataSource(options).initialize();
    const sql = await schemaDriftFromMigrations(dataSource);
    await dataSource.destroy();
    process.stdout.write(sql.length ? `${sql.join(';\n')};\n` : '-- entities and migrations agree\n');
  } finally {
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main();
