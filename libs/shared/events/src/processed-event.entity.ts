import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ type: 'uuid' })
  eventId!: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  consumer!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  processedAt!: Date;
}
