import type { EntityManager } from 'typeorm';
import { type DomainEvent, toCloudEvent } from './cloud-event';
import { OutboxMessage } from './outbox-message.entity';

export const OUTBOX_CHANNEL = 'outbox';
const MAX_PAYLOAD_BYTES = 256 * 1024;

/**
 * Appends events to the outbox inside the caller's transaction: they commit with the
 * state change or not at all. NOTIFY (delivered on commit) wakes the relay at once.
 */
export class OutboxWriter {
  constructor(private readonly source: string) {}

  async append(manager: EntityManager, events: DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction of the state change');
    }
    const rows = events.map((event) => {
      const payload = toCloudEvent(event, this.source);
      if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) {
        throw new Error(`Event ${event.type} exceeds ${MAX_PAYLOAD_BYTES} bytes`);
      }
      return Object.assign(new OutboxMessage(), {
        eventId: payload.id,
        topic: event.topic,
        messageKey: event.aggregateId,
        payload,
      });
    });
    await manager.save(OutboxMessage, rows, { reload: false });
    await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
  }
}
