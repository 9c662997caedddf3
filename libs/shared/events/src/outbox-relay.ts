import { type Kafka, type Message, Partitioners, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ensureTopics, type TopicSpec, topicDrift } from './ensure-topics';
import { PgNotifications } from '@platform/database';
import {
  lockUnsentMessages,
  markSent,
  outboxBacklog,
  recordFailedAttempt,
  tryTakeRelayLock,
  type UnsentMessage,
} from './outbox-queries';
import { OUTBOX_CHANNEL } from './outbox-writer';
import { retryBackoffMs } from './retry-backoff';
import { failSpan, startSendSpan } from './trace-context';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  kafka: Kafka;
  /**
   * Topics to create (when missing) when the relay starts, and retried before the first
   * publish until that succeeds. Without them a missing topic is auto-created with the
   * broker's default partition count.
   */
  topics?: TopicSpec[];
  /** Most rows per batch (default 200). */
  batchSize?: number;
  /** Most message bytes per batch (default 512 KiB): Kafka rejects a record batch above 1 MB. */
  maxBatchBytes?: number;
  /** Fallback poll when no NOTIFY arrives (default 200 ms); also how soon a standby notices a dead leader. */
  pollIntervalMs?: number;
  /** First retry delay after a failure (default 250 ms); doubles per consecutive failure. */
  minBackoffMs?: number;
  /** Retry delay cap (default 30 s). */
  maxBackoffMs?: number;
  /** Retries kafkajs makes inside one publish attempt before the relay backs off (default 5). */
  publishRetries?: number;
  /** How long a leader may wait on Kafka inside its transaction before Postgres ends its session (default 2 min). */
  leaderIdleTimeoutMs?: number;
  /** How often the backlog figures in `stats` are refreshed (default 5 s). */
  backlogRefreshMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

export interface OutboxRelayStats {
  /** Events this process has published. */
  published: number;
  /** Publish attempts that failed (broker or database unreachable, ...). */
  failedAttempts: number;
  lastError: string | null;
  lastPublishedAt: Date | null;
  /** Whether this instance held the relay lock on its last pass. */
  leader: boolean;
  /** Unsent rows, as of `backlogCheckedAt`. */
  backlog: number;
  oldestUnsentAgeSeconds: number;
  backlogCheckedAt: Date | null;
}

type Pass =
  | { outcome: 'standby' | 'idle' }
  | { outcome: 'waiting'; dueInMs: number }
  | { outcome: 'published'; count: number; more: boolean }
  | { outcome: 'failed'; error: Error; retryInMs: number };

/**
 * Publishes the outbox to Kafka, at least once, in insertion order per key.
 *
 * Each pass is one transaction: take the relay advisory lock (only one relay of a
 * database publishes at a time, which keeps per-key order across replicas; the others
 * stand by and take over when the leader's session ends), lock the oldest unsent rows,
 * publish them, mark them sent, commit. Selecting `sent_at IS NULL` (never "after the
 * last seq") means rows from transactions that commit late are never skipped. A failed
 * publish leaves the rows unsent, pushes their `available_at` out by a capped, jittered,
 * exponential backoff, and the relay waits that long before the next attempt.
 */
export class OutboxRelay {
  readonly stats: OutboxRelayStats = {
    published: 0,
    failedAttempts: 0,
    lastError: null,
    lastPublishedAt: null,
    leader: false,
    backlog: 0,
    oldestUnsentAgeSeconds: 0,
    backlogCheckedAt: null,
  };
  private readonly settings: Required<Omit<OutboxRelayOptions, 'dataSource' | 'kafka' | 'topics' | 'log'>>;
  private readonly notifications: PgNotifications | null;
  private producer: Producer | null = null;
  private topicsProvisioned = false;
  private provisioning: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;
  /** Settles when stop() is called; lets a pass give up on a Kafka connection attempt. */
  private stopRequested = new Promise<void>(() => undefined);
  private signalStop: () => void = () => undefined;
  private consecutiveFailures = 0;
  /** A NOTIFY arrived since the last pass began. */
  private woken = false;
  private interruptSleep: ((byNotification: boolean) => void) | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.settings = {
      batchSize: options.batchSize ?? 200,
      maxBatchBytes: options.maxBatchBytes ?? 512 * 1024,
      pollIntervalMs: options.pollIntervalMs ?? 200,
      minBackoffMs: options.minBackoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      publishRetries: options.publishRetries ?? 5,
      leaderIdleTimeoutMs: options.leaderIdleTimeoutMs ?? 120_000,
      backlogRefreshMs: options.backlogRefreshMs ?? 5_000,
    };
    const connection = PgNotifications.connectionFor(options.dataSource.options, 'outbox-relay-listener');
    this.notifications = connection
      ? new PgNotifications(
          connection,
          OUTBOX_CHANNEL,
          () => this.wake(),
          (error) =>
            this.options.log?.('warn', 'outbox relay lost its LISTEN connection; polling meanwhile', {
              error: error.message,
            }),
        )
      : null;
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.stopRequested = new Promise((resolve) => (this.signalStop = resolve));
    this.notifications?.start();
    this.running = this.loop();
  }

  /**
   * Lets the batch in flight finish (published and marked sent, or left unsent), then
   * disconnects. A pass still waiting for a Kafka connection gives up at once: it has sent nothing.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    this.interruptSleep?.(false);
    await this.running;
    this.running = null;
    await this.notifications?.stop();
    await this.disconnectProducer();
  }

  /** One pass outside the loop (tests, draining tools); returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const pass = await this.runPass();
    if (pass.outcome === 'failed') throw pass.error;
    return pass.outcome === 'published' ? pass.count : 0;
  }

  private async loop(): Promise<void> {
    // In the background: an idle relay (or one waiting for a broker) need not wait for it.
    this.provisionTopics().catch((error: unknown) => {
      if (error instanceof RelayStopping) return;
      this.options.log?.('warn', 'could not create the outbox topics yet; trying again before the first publish', {
        error: errorMessage(error),
      });
    });
    let nextBacklogCheck = 0;
    while (!this.stopping) {
      const pass = await this.runPass();
      if (Date.now() >= nextBacklogCheck) {
        nextBacklogCheck = Date.now() + this.settings.backlogRefreshMs;
        await this.refreshBacklog();
      }
      if (this.stopping) break;
      switch (pass.outcome) {
        case 'published':
          if (!pass.more) await this.sleep(this.settings.pollIntervalMs, true);
          break;
        case 'waiting':
          await this.sleep(Math.min(Math.max(pass.dueInMs, 10), this.settings.maxBackoffMs), false);
          break;
        case 'failed':
          await this.sleep(pass.retryInMs, false);
          break;
        default:
          await this.sleep(this.settings.pollIntervalMs, true);
      }
    }
  }

  private async runPass(): Promise<Pass> {
    this.woken = false;
    let pass: Pass;
    try {
      pass = await this.options.dataSource.transaction(async (manager): Promise<Pass> => {
        this.stats.leader = await tryTakeRelayLock(manager, this.settings.leaderIdleTimeoutMs);
        if (!this.stats.leader) return { outcome: 'standby' };
        const rows = await lockUnsentMessages(manager, this.settings.batchSize);
        if (rows.length === 0) return { outcome: 'idle' };
        const batch = this.takeBatch(rows);
        if (batch.length === 0) return { outcome: 'waiting', dueInMs: rows[0].dueInMs };
        const seqs = batch.map((row) => row.seq);
        try {
          await this.send(batch);
        } catch (error) {
          if (error instanceof RelayStopping) return { outcome: 'idle' };
          // Recorded and committed rather than rolled back: the rows stay unsent, and
          // whichever relay leads next honours the backoff too.
          const retryInMs = this.nextRetryDelay();
          await recordFailedAttempt(manager, seqs, errorMessage(error), retryInMs);
          return { outcome: 'failed', error: asError(error), retryInMs };
        }
        await markSent(manager, seqs);
        const more = batch.length < rows.length || rows.length === this.settings.batchSize;
        return { outcome: 'published', count: batch.length, more };
      });
    } catch (error) {
      // The database failed: nothing was marked sent, and no lock is held.
      this.stats.leader = false;
      pass = { outcome: 'failed', error: asError(error), retryInMs: this.nextRetryDelay() };
    }
    this.record(pass);
    return pass;
  }

  private record(pass: Pass): void {
    if (pass.outcome === 'failed') {
      this.stats.failedAttempts += 1;
      this.stats.lastError = pass.error.message;
      this.options.log?.('warn', 'outbox relay could not publish; retrying', {
        error: pass.error.message,
        retryInMs: pass.retryInMs,
        consecutiveFailures: this.consecutiveFailures,
      });
      // A fresh producer next time: its state after a failure is not worth trusting.
      void this.disconnectProducer();
      return;
    }
    this.consecutiveFailures = 0;
    if (pass.outcome === 'published') {
      this.stats.published += pass.count;
      this.stats.lastPublishedAt = new Date();
    }
  }

  private nextRetryDelay(): number {
    this.consecutiveFailures += 1;
    return retryBackoffMs(this.consecutiveFailures, {
      minMs: this.settings.minBackoffMs,
      maxMs: this.settings.maxBackoffMs,
    });
  }

  /** The due rows at the head of the queue, within the byte budget (always at least one). */
  private takeBatch(rows: UnsentMessage[]): UnsentMessage[] {
    const batch: UnsentMessage[] = [];
    let bytes = 0;
    for (const row of rows) {
      // A row that is not due yet blocks everything behind it, or its key's order would break.
      if (row.dueInMs > 0) break;
      const size = Buffer.byteLength(JSON.stringify(row.payload)) + row.messageKey.length;
      if (batch.length > 0 && bytes + size > this.settings.maxBatchBytes) break;
      batch.push(row);
      bytes += size;
    }
    return batch;
  }

  private async send(batch: UnsentMessage[]): Promise<void> {
    const producer = await this.connectedProducer();
    const byTopic = new Map<string, Message[]>();
    // One send span per message, each in the trace of the transaction that wrote it.
    const spans = batch.map((row) => {
      const { span, headers } = startSendSpan(row.topic, row.headers, {
        'messaging.message.id': row.payload.id,
        'messaging.kafka.message.key': row.messageKey,
        'messaging.batch.message_count': batch.length,
        'cloudevents.event_type': row.payload.type,
      });
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.messageKey, value: JSON.stringify(row.payload), headers });
      byTopic.set(row.topic, messages);
      return span;
    });
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans) failSpan(span, error);
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private async connectedProducer(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: true,
        // An idempotent producer otherwise retries forever, which would hold this
        // transaction (and the relay lock) open for as long as Kafka is away.
        retry: { retries: this.settings.publishRetries },
        // The murmur2 partitioner of the Java client: keys land on the same partitions as theirs.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      const connecting = producer.connect();
      // Nothing is sent yet, so stop() need not sit through kafkajs' connection retries.
      const outcome = await Promise.race([
        connecting.then(
          () => 'connected' as const,
          (error: unknown) => ({ error }),
        ),
        this.stopRequested.then(() => 'stopping' as const),
      ]);
      if (outcome !== 'connected') {
        // Disconnect once the attempt has settled, so a late success leaves nothing open.
        void connecting
          .catch(() => undefined)
          .then(() => producer.disconnect())
          .catch(() => undefined);
        throw outcome === 'stopping' ? new RelayStopping() : outcome.error;
      }
      this.producer = producer;
    }
    await this.provisionTopics();
    return this.producer;
  }

  /**
   * Creates the missing topics once: at start (so consumers that subscribe before the
   * first event find them with our partition count, rather than auto-created with the
   * broker's), and again before a publish until that has succeeded.
   */
  private async provisionTopics(): Promise<void> {
    const topics = this.options.topics;
    if (this.topicsProvisioned || !topics?.length) return;
    // One attempt at a time, shared by the start-up attempt and a pass that wants to publish.
    this.provisioning ??= ensureTopics(this.options.kafka, topics)
      .then(() => {
        this.topicsProvisioned = true;
        void this.warnAboutTopicDrift(topics);
      })
      .finally(() => (this.provisioning = null));
    const provisioning = this.provisioning;
    const outcome = await Promise.race([
      provisioning.then(
        () => 'done' as const,
        (error: unknown) => ({ error }),
      ),
      this.stopRequested.then(() => 'stopping' as const),
    ]);
    if (outcome === 'stopping') throw new RelayStopping();
    if (outcome !== 'done') throw outcome.error;
  }

  /** Existing topics are never altered; say so when they differ from the configuration. */
  private async warnAboutTopicDrift(topics: TopicSpec[]): Promise<void> {
    try {
      for (const message of await topicDrift(this.options.kafka, topics)) this.options.log?.('warn', message);
    } catch {
      // Best effort: the next start checks again.
    }
  }

  private async disconnectProducer(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async refreshBacklog(): Promise<void> {
    try {
      const backlog = await outboxBacklog(this.options.dataSource);
      this.stats.backlog = backlog.unsent;
      this.stats.oldestUnsentAgeSeconds = backlog.oldestAgeSeconds;
      this.stats.backlogCheckedAt = new Date();
    } catch {
      // The next pass reports the database failure; stale figures keep their timestamp.
    }
  }

  private wake(): void {
    this.woken = true;
    this.interruptSleep?.(true);
  }

  /** Waits `ms`; stop() always cuts it short, a NOTIFY only when `wakeable`. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interruptSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interruptSleep = (byNotification) => {
        if (!byNotification || wakeable) done();
      };
    });
  }
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const errorMessage = (error: unknown): string => asError(error).message;

class RelayStopping extends Error {
  override message = 'outbox relay is stopping';
}
