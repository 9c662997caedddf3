import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { OUTBOX_CHANNEL } from './outbox-writer';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (missed notifications, other writers). */
  pollIntervalMs?: number;
  maxBackoffMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

export interface OutboxRelayStats {
  published: number;
  failedAttempts: number;
  lastError: string | null;
  lastPublishedAt: Date | null;
}

// All relays of one database share this lock: one publishes at a time, which keeps
// per-key order across replicas; the others wait and take over if it dies.
const RELAY_LOCK_ID = 7_340_222;

interface UnsentRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: { id: string; type: string };
}

/**
 * Publishes the outbox to Kafka, at least once, in insertion order. Rows are marked
 * sent in the same transaction that read them, after Kafka acknowledged them; a
 * failure rolls back and retries with capped exponential backoff. Selecting
 * `sent_at IS NULL` (never "after the last seq") means rows from transactions that
 * commit late are never skipped.
 */
export class OutboxRelay {
  readonly stats: OutboxRelayStats = { published: 0, failedAttempts: 0, lastError: null, lastPublishedAt: null };
  private producer: Producer | null = null;
  private listener: Client | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
    void this.listen();
  }

  /** Finishes the batch in flight, then disconnects. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
    await this.listener?.end().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.listener = null;
    this.producer = null;
  }

  /** Publishes one batch if this instance holds the relay lock; returns how many rows it sent. */
  async publishBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    return this.options.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK_ID]);
      if (!locked) return 0;
      const rows: UnsentRow[] = await manager.query(
        `SELECT seq, topic, message_key, payload FROM outbox_messages
          WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      await this.send(rows);
      await markSent(manager, rows);
      this.stats.published += rows.length;
      this.stats.lastPublishedAt = new Date();
      return rows.length;
    });
  }

  private async send(rows: UnsentRow[]): Promise<void> {
    if (!this.producer) {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      this.producer = producer;
    }
    const byTopic = new Map<string, Message[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({
        key: row.message_key,
        value: JSON.stringify(row.payload),
        headers: { ce_id: row.payload.id, ce_type: row.payload.type, 'content-type': 'application/cloudevents+json' },
      });
      byTopic.set(row.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  private async loop(): Promise<void> {
    let backoffMs = 0;
    while (!this.stopping) {
      try {
        const sent = await this.publishBatch();
        backoffMs = 0;
        if (sent === (this.options.batchSize ?? 200)) continue;
        await this.sleep(this.options.pollIntervalMs ?? 500);
      } catch (error) {
        this.stats.failedAttempts += 1;
        this.stats.lastError = (error as Error).message;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = null;
        const cap = this.options.maxBackoffMs ?? 30_000;
        backoffMs = Math.min(cap, Math.max(250, backoffMs * 2));
        this.options.log?.('warn', 'outbox relay could not publish; retrying', {
          error: this.stats.lastError,
          backoffMs,
        });
        await this.sleep(backoffMs / 2 + Math.random() * (backoffMs / 2));
      }
    }
  }

  /** Waits for the timeout or a NOTIFY, whichever comes first. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async listen(): Promise<void> {
    const url = (this.options.dataSource.options as { url?: string }).url;
    if (!url) return;
    try {
      const listener = new Client({ connectionString: url });
      listener.on('notification', () => this.wake?.());
      listener.on('error', () => undefined); // polling carries on if the listener drops
      await listener.connect();
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (this.stopping) await listener.end();
      else this.listener = listener;
    } catch (error) {
      this.options.log?.('warn', 'outbox relay cannot LISTEN; polling only', { error: (error as Error).message });
    }
  }
}

async function markSent(manager: EntityManager, rows: UnsentRow[]): Promise<void> {
  await manager.query(
    'UPDATE outbox_messages SET sent_at = now(), attempts = attempts + 1 WHERE seq = ANY($1::bigint[])',
    [rows.map((r) => r.seq)],
  );
}

/** Backlog figures for metrics and health. */
export async function outboxBacklog(dataSource: DataSource): Promise<{ unsent: number; oldestAgeSeconds: number }> {
  const [row] = await dataSource.query(
    `SELECT count(*)::int AS unsent, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age
       FROM outbox_messages WHERE sent_at IS NULL`,
  );
  return { unsent: row.unsent, oldestAgeSeconds: row.age };
}

/** Housekeeping: drops rows published longer ago than the retention. */
export async function pruneSentMessages(dataSource: DataSource, olderThanMs: number): Promise<number> {
  const result = await dataSource.query(
    `DELETE FROM outbox_messages WHERE sent_at IS NOT NULL AND sent_at < now() - ($1::text || ' milliseconds')::interval`,
    [String(olderThanMs)],
  );
  return Array.isArray(result) ? (result[1] ?? 0) : 0;
}
