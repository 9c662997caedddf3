import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CloudEvent } from './cloud-event';

/** An event waiting to be (or already) published, written in the same transaction as its state change. */
@Entity({ name: 'outbox_messages' })
@Index('UQ_outbox_messages_event_id', ['eventId'], { unique: true })
// Unsent rows in order; a partial index TypeORM cannot describe.
@Index('IDX_outbox_messages_unsent', { synchronize: false })
export class OutboxMessage extends WithCreatedAt() {
  /** Insertion order (not commit order): the relay publishes in this order. */
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  /** The aggregate id: Kafka keeps one key's messages in one partition, in order. */
  @Column({ type: 'varchar', length: 255 })
  messageKey!: string;

  /** The CloudEvent, published as the message value. */
  @Column({ type: 'jsonb' })
  payload!: CloudEvent;

  /** Kafka message headers. */
  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** Not published before this time: pushed forward after a failed attempt (retry backoff). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  availableAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
