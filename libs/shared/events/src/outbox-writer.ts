import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { type CloudEvent, cloudEventHeaders, type DomainEvent, toCloudEvent } from './cloud-event';
import { OutboxMessage } from './outbox-message.entity';
import { traceContextHeaders } from './trace-context';

export const OUTBOX_CHANNEL = 'outbox';
/** Largest serialized CloudEvent accepted: well under Kafka's 1 MB default message limit. */
export const MAX_EVENT_BYTES = 256 * 1024;

const KAFKA_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export class OutboxEventRejectedError extends Error {
  override name = 'OutboxEventRejectedError';
}

/**
 * Appends events to the outbox inside the caller's transaction: they commit with the
 * state change or not at all. NOTIFY (delivered only on commit) wakes the relay at once.
 */
export class OutboxWriter {
  /** @param source CloudEvents `source` used when `append` is not given one. */
  constructor(private readonly source?: string) {}

  async append(manager: EntityManager, events: DomainEvent[], source = this.source): Promise<void> {
    if (events.length === 0) return;
    if (!source) throw new OutboxEventRejectedError('OutboxWriter needs a CloudEvents source');
    if (!manager.queryRunner?.isTransactionActive) {
      throw new OutboxEventRejectedError('OutboxWriter.append must run inside the transaction of the state change');
    }
    // Everything is checked before anything is written, so a rejected event never half-applies.
    const rows = events.map((event) => toOutboxRow(event, toCloudEvent(event, source)));
    // The cast: TypeORM's deep-partial type cannot see through the opaque jsonb payload.
    await manager.insert(OutboxMessage, rows as QueryDeepPartialEntity<OutboxMessage>[]);
    await manager.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, '']);
  }
}

function toOutboxRow(event: DomainEvent, payload: CloudEvent): Partial<OutboxMessage> {
  if (!KAFKA_TOPIC_NAME.test(event.topic)) {
    throw new OutboxEventRejectedError(`Event ${event.type} has an invalid Kafka topic name "${event.topic}"`);
  }
  if (!event.type || !event.tenantId || !event.aggregateId || event.aggregateId.length > 255) {
    throw new OutboxEventRejectedError(`Event ${event.type} needs a type, a tenant id and an aggregate id`);
  }
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes > MAX_EVENT_BYTES) {
    throw new OutboxEventRejectedError(`Event ${event.type} is ${bytes} bytes; the limit is ${MAX_EVENT_BYTES}`);
  }
  return {
    eventId: payload.id,
    topic: event.topic,
    messageKey: event.aggregateId,
    payload,
    // With tracing on, also the trace context of the change (traceparent): the relay's
    // publish span continues that trace, however much later it runs.
    headers: { ...cloudEventHeaders(payload), ...traceContextHeaders() },
  };
}
