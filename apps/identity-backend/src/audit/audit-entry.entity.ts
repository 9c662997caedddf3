import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One identity change or admin action: who, what, when, from where. Append-only (a trigger refuses UPDATE and DELETE). */
@Entity({ name: 'audit_log' })
@Index('IDX_audit_log_tenant', ['tenantId', 'id'])
@Index('IDX_audit_log_target', ['targetId', 'id'])
@Index('IDX_audit_log_tenant_actor', ['tenantId', 'actor', 'id'])
export class AuditEntry extends WithCreatedAt() {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  /** The event type, e.g. identity.user.locked.v1. */
  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ type: 'varchar', length: 255 })
  targetId!: string;

  /** User or client id; null for anonymous callers (registration, password reset). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  actor!: string | null;

  @Column({ type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  clientId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  /** The event data: ids, reasons and changed field names, never personal data or secrets. */
  @Column({ type: 'jsonb', default: {} })
  details!: Record<string, unknown>;
}
