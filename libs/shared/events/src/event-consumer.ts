import type { Span } from '@opentelemetry/api';
import {
  type Admin,
  type Consumer,
  type EachMessagePayload,
  type Kafka,
  type KafkaMessage,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { CloudEvent } from './cloud-event';
import { consumerGroupLag, type PartitionLag } from './consumer-lag';
import { retryBackoffMs } from './retry-backoff';
import { failSpan, traceContextHeaders, withProcessSpan } from './trace-context';

export interface EventConsumerOptions {
  kafka: Kafka;
  dataSource: DataSource;
  groupId: string;
  topics: string[];
  /** Applies one event inside a transaction that also records it as processed. */
  handle: (event: CloudEvent, manager: EntityManager) => Promise<void>;
  /** Attempts before a message is parked on `<topic>.dlq` (default 5). */
  maxAttempts?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;
}

/**
 * Consumes CloudEvents at least once and applies each exactly once: the effect and the
 * event id commit in one transaction (a redelivered id is skipped). A message that keeps
 * failing goes to the dead-letter topic so it cannot block the partition; offsets are
 * committed by kafkajs only for messages whose handling finished.
 */
export class EventConsumer {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private admin: Admin | null = null;
  private lagInFlight: Promise<PartitionLag[]> | null = null;
  private stopping = false;
  private interruptRetry: (() => void) | null = null;
  /** Crashes since an event was last handled; spaces out the re-joins. */
  private crashes = 0;
  readonly stats = { applied: 0, duplicates: 0, deadLettered: 0 };
  /** The same counts per source topic, for metrics. */
  readonly statsByTopic = new Map<string, { applied: number; duplicates: number; deadLettered: number }>();

  constructor(private readonly options: EventConsumerOptions) {}

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): readonly string[] {
    return this.options.topics;
  }

  /**
   * The group's lag per partition, asked of the broker (committed offset vs high
   * watermark), so it also shows a consumer that is stuck or not running. Concurrent
   * callers share one request; rejects while the broker is unreachable.
   */
  lag(): Promise<PartitionLag[]> {
    this.lagInFlight ??= (async () => {
      try {
        if (!this.admin) {
          const admin = this.options.kafka.admin({ retry: { retries: 0 } });
          await admin.connect();
          this.admin = admin;
        }
        return await consumerGroupLag(this.admin, this.options.groupId, this.options.topics);
      } catch (error) {
        const admin = this.admin;
        this.admin = null;
        await admin?.disconnect().catch(() => undefined);
        throw error;
      }
    })().finally(() => (this.lagInFlight = null));
    return this.lagInFlight;
  }

  /**
   * Joins the group and starts consuming; resolves once consuming (or stopped). While
   * Kafka is unreachable it keeps trying, with a capped backoff, until it succeeds or
   * stop() is called: a consumer started during an outage catches up when the brokers
   * return instead of staying idle until the next restart.
   */
  async start(): Promise<void> {
    this.stopping = false;
    await this.keepJoining();
  }

  private async keepJoining(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.join();
        return;
      } catch (error) {
        if (this.stopping) return;
        const retryInMs = retryBackoffMs(attempt, { minMs: 1_000, maxMs: 30_000 });
        this.options.log?.('warn', 'event consumer could not join its group; retrying', {
          error: (error as Error).message,
          attempt,
          retryInMs,
        });
        await this.pause(retryInMs);
      }
    }
  }

  /** Lets the message in hand finish, then leaves the group (its offsets committed). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.interruptRetry?.();
    await this.leave();
    await this.lagInFlight?.catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  /** Waits `ms`, or less when stop() is called. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.interruptRetry = () => (clearTimeout(timer), resolve());
    });
    this.interruptRetry = null;
  }

  private async join(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    // The murmur2 partitioner of the Java client, like the relay (also silences kafkajs' v2 warning).
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId });
    this.producer = producer;
    this.consumer = consumer;
    // kafkajs restarts a consumer after retriable errors only; after any other crash it
    // stays stopped, so join again (with backoff) rather than stop consuming for good.
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopping || this.consumer !== consumer) return;
      const retryInMs = retryBackoffMs(++this.crashes, { minMs: 1_000, maxMs: 30_000 });
      this.options.log?.('error', 'event consumer crashed; joining its group again', {
        error: payload.error.message,
        retryInMs,
      });
      void this.leave()
        .then(() => this.pause(retryInMs))
        .then(() => (this.stopping ? undefined : this.keepJoining()));
    });
    const abandon = async (error: unknown): Promise<never> => {
      // Only what this attempt opened; stop() may already have let go of it. The consumer
      // first: a message in hand may still need the producer for the dead-letter topic.
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      if (this.consumer === consumer) this.consumer = null;
      if (this.producer === producer) this.producer = null;
      throw error;
    };
    const step = async (action: () => Promise<void>) => {
      await action().catch(abandon);
      if (this.stopping) await abandon(new Error('event consumer stopped while joining'));
    };
    await step(() => producer.connect());
    await step(() => consumer.connect());
    await step(() => consumer.subscribe({ topics, fromBeginning: true }));
    await step(() => consumer.run({ eachMessage: (payload) => this.onMessage(payload) }));
  }

  private async leave(): Promise<void> {
    const { consumer, producer } = this;
    // The consumer first: the message in hand may still need the producer (dead letter).
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    if (this.consumer === consumer) this.consumer = null;
    if (this.producer === producer) this.producer = null;
  }

  private onMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const attributes = {
      'messaging.consumer.group.name': this.options.groupId,
      'messaging.destination.partition.id': String(partition),
      'messaging.kafka.offset': Number(message.offset),
      ...(message.key ? { 'messaging.kafka.message.key': message.key.toString() } : {}),
    };
    // Continues the trace of the request that caused the event (through the relay's send span).
    return withProcessSpan(topic, message.headers, attributes, (span) => this.handleMessage(topic, message, span));
  }

  private async handleMessage(topic: string, message: KafkaMessage, span: Span): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const event = parseCloudEvent(message.value);
        span.setAttributes({ 'messaging.message.id': event.id, 'cloudevents.event_type': event.type });
        await this.apply(topic, event);
        return;
      } catch (error) {
        const permanent = error instanceof MalformedEventError;
        if (permanent || attempt >= maxAttempts) {
          failSpan(span, error);
          span.setAttribute('messaging.dead_lettered', true);
          await this.deadLetter(topic, message.key, message.value, (error as Error).message);
          return;
        }
        span.addEvent('retry', { 'messaging.attempt': attempt, 'exception.message': (error as Error).message });
        this.options.log?.('warn', 'event handling failed; retrying', {
          topic,
          attempt,
          error: (error as Error).message,
        });
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000) * (0.5 + Math.random())));
      }
    }
  }

  private async apply(topic: string, event: CloudEvent): Promise<void> {
    const outcome = await this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO processed_events (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, this.options.groupId],
      );
      if (inserted.length === 0) return 'duplicates' as const;
      await this.options.handle(event, manager);
      return 'applied' as const;
    });
    this.count(topic, outcome);
    this.crashes = 0;
  }

  private count(topic: string, outcome: 'applied' | 'duplicates' | 'deadLettered'): void {
    this.stats[outcome]++;
    let perTopic = this.statsByTopic.get(topic);
    if (!perTopic) this.statsByTopic.set(topic, (perTopic = { applied: 0, duplicates: 0, deadLettered: 0 }));
    perTopic[outcome]++;
  }

  private async deadLetter(topic: string, key: Buffer | null, value: Buffer | null, reason: string): Promise<void> {
    await this.producer!.send({
      topic: `${topic}.dlq`,
      messages: [
        {
          key,
          value,
          headers: {
            'x-dead-letter-reason': reason.slice(0, 500),
            'x-original-topic': topic,
            // The trace goes on to whoever looks at the dead letter.
            ...traceContextHeaders(),
          },
        },
      ],
    });
    this.count(topic, 'deadLettered');
    this.options.log?.('error', 'event dead-lettered', { topic, reason });
  }
}

class MalformedEventError extends Error {}

function parseCloudEvent(value: Buffer | null): CloudEvent {
  let event: Partial<CloudEvent>;
  try {
    event = JSON.parse(String(value ?? ''));
  } catch {
    throw new MalformedEventError('message value is not JSON');
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    event.specversion !== '1.0' ||
    typeof event.id !== 'string' ||
    !uuid.test(event.id) ||
    typeof event.type !== 'string'
  ) {
    throw new MalformedEventError('message is not a CloudEvent 1.0 with a uuid id');
  }
  return event as CloudEvent;
}
