import {
  announceConfigChange,
  ClusterConfigWatcher,
  CreateConfigVersions1796130000000,
  postgresDataSourceOptions,
} from '@platform/database';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { eventually } from './eventually';
import { migratedDataSource } from './migrated-data-source';
import { createTestDatabase, type TestDatabase } from './test-database';

/** How long `predicate` took to hold (failing after `withinMs`). */
async function msUntil(predicate: () => boolean, withinMs: number, what: string): Promise<number> {
  const started = Date.now();
  await eventually(predicate, { timeoutMs: withinMs, everyMs: 10, failure: what });
  return Date.now() - started;
}

/** Two "replicas" (two data sources, two watchers) on one real Postgres database. */
describe('cluster configuration changes (LISTEN/NOTIFY + version check, real Postgres)', () => {
  let db: TestDatabase;
  const dataSources: DataSource[] = [];
  const watchers: ClusterConfigWatcher[] = [];

  const replica = async (handlers: Record<string, () => void>, pollIntervalMs = 60_000) => {
    const dataSource = await migratedDataSource(
      postgresDataSourceOptions({
        url: db.url,
        poolSize: 2,
        entities: [],
        migrations: [CreateConfigVersions1796130000000],
      }),
    );
    dataSources.push(dataSource);
    const watcher = new ClusterConfigWatcher(dataSource, handlers, { pollIntervalMs });
    watchers.push(watcher);
    await watcher.start();
    return { dataSource, watcher };
  };

  beforeAll(async () => {
    db = await createTestDatabase('cluster_config');
  });

  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
    await Promise.all(dataSources.splice(0).map((d) => d.destroy()));
  });

  afterAll(() => db?.drop());

  it("a change announced on one replica runs the other's handler within a second, once, and only for that topic", async () => {
    const heard = { keys: 0, clients: 0 };
    const a = await replica({});
    await replica({ 'signing-keys': () => void heard.keys++, clients: () => void heard.clients++ });
    await announceConfigChange(a.dataSource, 'signing-keys');
    const tookMs = await msUntil(() => heard.keys === 1, 1_000, 'replica B reloads its keys');
    expect(tookMs).toBeLessThan(1_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(heard).toEqual({ keys: 1, clients: 0 });
  });

  it('an announcement inside a rolled-back transaction is never heard', async () => {
    const heard = { clients: 0 };
    const a = await replica({});
    await replica({ clients: () => void heard.clients++ });
    await a.dataSource
      .transaction(async (manager) => {
        await announceConfigChange(manager, 'clients');
        throw new Error('the change failed');
      })
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard.clients).toBe(0);
  });

  it('without its LISTEN connection a replica still catches up at the next version check', async () => {
    const heard = { scopes: 0 };
    const a = await replica({});
    await replica({ 'custom-scopes': () => void heard.scopes++ }, 300);
    // The listener's connection is killed, as a network blip or a Postgres failover would.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cluster-config-listener' AND datname = current_database()`,
    );
    await admin.end();
    await announceConfigChange(a.dataSource, 'custom-scopes');
    await msUntil(() => heard.scopes === 1, 5_000, 'the periodic check reloads custom scopes');
  });

  it('a failing handler is retried at the next check', async () => {
    let attempts = 0;
    const a = await replica({});
    await replica(
      {
        clients: () => {
          attempts++;
          if (attempts === 1) throw new Error('database hiccup');
        },
      },
      200,
    );
    await announceConfigChange(a.dataSource, 'clients');
    await msUntil(() => attempts >= 2, 5_000, 'the handler runs again');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(attempts).toBe(2);
  });
});
