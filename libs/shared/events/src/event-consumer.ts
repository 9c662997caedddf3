import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { CloudEvent } from './cloud-event';

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
  readonly stats = { applied: 0, duplicates: 0, deadLettered: 0 };

  constructor(private readonly options: EventConsumerOptions) {}

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.producer = kafka.producer();
    await this.producer.connect();
    this.consumer = kafka.consumer({ groupId });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({ eachMessage: (payload) => this.onMessage(payload) });
  }

  /** Lets the message in hand finish, then leaves the group (its offsets committed). */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
  }

  private async onMessage({ topic, message }: EachMessagePayload): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const event = parseCloudEvent(message.value);
        await this.apply(event);
        return;
      } catch (error) {
        const permanent = error instanceof MalformedEventError;
        if (permanent || attempt >= maxAttempts) {
          await this.deadLetter(topic, message.key, message.value, (error as Error).message);
          return;
        }
        this.options.log?.('warn', 'event handling failed; retrying', {
          topic,
          attempt,
          error: (error as Error).message,
        });
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000) * (0.5 + Math.random())));
      }
    }
  }

  private async apply(event: CloudEvent): Promise<void> {
    await this.options.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO processed_events (event_id, consumer) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, this.options.groupId],
      );
      if (inserted.length === 0) {
        this.stats.duplicates++;
        return;
      }
      await this.options.handle(event, manager);
      this.stats.applied++;
    });
  }

  private async deadLetter(topic: string, key: Buffer | null, value: Buffer | null, reason: string): Promise<void> {
    await this.producer!.send({
      topic: `${topic}.dlq`,
      messages: [{ key, value, headers: { 'x-dead-letter-reason': reason.slice(0, 500), 'x-original-topic': topic } }],
    });
    this.stats.deadLettered++;
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
