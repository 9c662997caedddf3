import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database on the harness's Postgres, unique to the caller: empty, or a copy of
 * `template` (see `createMigratedTestDatabase`).
 */
export async function createTestDatabase(prefix = 'test', template?: string): Promise<TestDatabase> {
  const adminUrl = requireEnv('TEST_POSTGRES_ADMIN_URL');
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (admin) =>
    queryWhenFree(admin, `CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`),
  );
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => withAdmin(adminUrl, (admin) => queryWhenFree(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/**
 * A fresh database with the built service's schema: a copy of a template that the run's first
 * caller migrates with the service's own `migrate` command (`env` as for that service). One
 * migration per service and run instead of one per suite: a `migrate` process costs about two
 * seconds of CPU, which a busy 2-core CI machine felt in every suite's set-up.
 */
export async function createMigratedTestDatabase(
  prefix: string,
  migrate: (databaseUrl: string) => Promise<void>,
  service: string,
): Promise<TestDatabase> {
  const adminUrl = requireEnv('TEST_POSTGRES_ADMIN_URL');
  const template = `template_${service.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
  await withAdmin(adminUrl, async (admin) => {
    // Parallel suites (Jest workers) wait for the one that migrates the template.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount) return;
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    await migrate(databaseUrl(adminUrl, building));
    await queryWhenFree(admin, `ALTER DATABASE "${building}" RENAME TO "${template}"`);
  });
  return createTestDatabase(prefix, template);
}

/**
 * Runs a statement Postgres refuses while another session is still connected to the database it
 * copies or renames: the migrating process has disconnected, but its backend may not have exited yet.
 */
async function queryWhenFree(admin: Client, sql: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(sql);
      return;
    } catch (error) {
      // 55006 object_in_use: "source database ... is being accessed by other users".
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function testKafkaBrokers(): string[] {
  return requireEnv('TEST_KAFKA_BROKERS').split(',');
}

/** Runs `work` on an admin connection, closed afterwards (which also frees its advisory locks). */
async function withAdmin<T>(adminUrl: string, work: (admin: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through the Jest "integration" project`);
  return value;
}
