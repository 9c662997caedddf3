import type { DataSource } from 'typeorm';
import { PgNotifications } from './pg-notifications';
import { sqlMigration } from './sql-migration';

/** The NOTIFY channel on which replicas hear that some shared configuration changed. */
export const CONFIG_CHANNEL = 'config_changed';

interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * Records that the configuration `topic` (e.g. `signing-keys`, `clients`) changed, for every
 * replica of the service: a version bump plus a NOTIFY, both delivered when the caller's
 * transaction commits (pass the transaction's manager to make them part of the change).
 */
export async function announceConfigChange(db: Queryable, topic: string): Promise<void> {
  await db.query(
    `INSERT INTO config_versions (topic, version, changed_at) VALUES ($1, 1, now())
     ON CONFLICT (topic) DO UPDATE SET version = config_versions.version + 1, changed_at = now()`,
    [topic],
  );
  await db.query('SELECT pg_notify($1, $2)', [CONFIG_CHANNEL, topic]);
}

export interface ClusterConfigWatcherOptions {
  /** The safety net for a dropped LISTEN connection: how often versions are compared anyway. */
  pollIntervalMs?: number;
  log?: (level: 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

/**
 * Runs the handler of a topic on this replica whenever any replica announces a change of it:
 * at once through LISTEN/NOTIFY, and at the latest on the next periodic version check. Handlers
 * of one watcher never overlap; a failing handler is retried at the next check.
 */
export class ClusterConfigWatcher {
  private readonly seen = new Map<string, string>();
  private readonly notifications: PgNotifications | null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private checkAgain = false;
  /** Whether the last check failed: an outage of the database is logged once, not every poll. */
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly handlers: Readonly<Record<string, () => Promise<void> | void>>,
    private readonly options: ClusterConfigWatcherOptions = {},
  ) {
    const connection = PgNotifications.connectionFor(dataSource.options, 'cluster-config-listener');
    this.notifications = connection
      ? new PgNotifications(
          connection,
          CONFIG_CHANNEL,
          () => void this.check(),
          (error) =>
            options.log?.('warn', 'configuration listener lost its connection; polling meanwhile', {
              error: error.message,
            }),
        )
      : null;
  }

  /** Takes the current versions as known (the caller has just loaded its configuration), then watches. */
  async start(): Promise<void> {
    for (const [topic, version] of await this.versions()) this.seen.set(topic, version);
    this.notifications?.start();
    this.timer = setInterval(() => void this.check(), this.options.pollIntervalMs ?? 2_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.notifications?.stop();
    await this.checking;
  }

  /** Compares versions and runs the handlers of changed topics; concurrent calls coalesce into one more pass. */
  check(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.checkAgain = false;
        await this.runChangedHandlers().then(
          () => {
            if (this.failing) this.options.log?.('warn', 'configuration checks work again');
            this.failing = false;
          },
          (error: Error) => {
            if (!this.failing)
              this.options.log?.('warn', 'configuration check failed; retrying', { error: error.message });
            this.failing = true;
          },
        );
      } while (this.checkAgain);
    })().finally(() => (this.checking = null));
    return this.checking;
  }

  private async runChangedHandlers(): Promise<void> {
    for (const [topic, version] of await this.versions()) {
      if (this.seen.get(topic) === version) continue;
      const handler = this.handlers[topic];
      try {
        await handler?.();
        this.seen.set(topic, version);
      } catch (error) {
        this.options.log?.('error', `reloading ${topic} failed; retrying at the next check`, {
          error: (error as Error).message,
        });
      }
    }
  }

  private async versions(): Promise<[string, string][]> {
    const rows: { topic: string; version: string }[] = await this.dataSource.query(
      'SELECT topic, version::text AS version FROM config_versions',
    );
    return rows.map((r) => [r.topic, r.version]);
  }
}

/** The version table; every service whose replicas cache shared configuration adds this migration. */
export const CreateConfigVersions1796130000000 = sqlMigration('CreateConfigVersions1796130000000', {
  up: [
    `
      CREATE TABLE "config_versions" (
        "topic" varchar(100) NOT NULL,
        "version" bigint NOT NULL,
        "changed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_config_versions" PRIMARY KEY ("topic")
      )`,
  ],
  down: [`DROP TABLE "config_versions"`],
});
