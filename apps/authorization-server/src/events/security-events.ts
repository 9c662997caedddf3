import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DomainEvent } from '@platform/events';
import { OutboxWriter } from '@platform/events';
import { DataSource, type EntityManager } from 'typeorm';
import { SECURITY_TOPIC, type SecurityEventType } from '@platform/contracts';

/** The tenant an event belongs to; platform-level clients and operators belong to none. */
export const PLATFORM_TENANT = 'platform';

export interface SecurityEvent {
  type: SecurityEventType;
  /** Message key: the user or client the event is about (per-subject ordering on Kafka). */
  subject: string;
  tenantId: string | null;
  data: Record<string, unknown>;
}

const FLUSH_MS = 250;
const MAX_BUFFERED = 1_000;

/**
 * Writes `authz.*` security events to this server's outbox. Changes (clients, keys) record
 * theirs in the same transaction; sign-ins in a transaction of their own. Token issuance, on
 * the hot path (thousands a second for busy machine clients), is counted instead: identical
 * events within a quarter second become one with a `count`, written in one batch — a crash
 * can lose the last quarter second of those counts, never a change event.
 */
@Injectable()
export class SecurityEvents implements BeforeApplicationShutdown {
  private buffer = new Map<string, { event: SecurityEvent; count: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Inside the caller's transaction: the event commits with the change or not at all. */
  append(manager: EntityManager, ...events: SecurityEvent[]): Promise<void> {
    return this.outbox.append(manager, events.map(toDomainEvent));
  }

  /** On its own, now (sign-ins). */
  async record(...events: SecurityEvent[]): Promise<void> {
    await this.dataSource.transaction((manager) => this.append(manager, ...events));
  }

  /** Counted and batched (token issuance): never slows the request that caused it. */
  recordSoon(event: SecurityEvent): void {
    const key = JSON.stringify([event.type, event.subject, event.tenantId, event.data]);
    const pending = this.buffer.get(key);
    if (pending) pending.count++;
    else this.buffer.set(key, { event, count: 1 });
    if (this.buffer.size >= MAX_BUFFERED) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = [...this.buffer.values()].map(({ event, count }) =>
      toDomainEvent({ ...event, data: { ...event.data, count } }),
    );
    this.buffer.clear();
    if (batch.length === 0) return;
    await this.dataSource
      .transaction((manager) => this.outbox.append(manager, batch))
      .catch(() => undefined /* audit of token issuance is best effort; the relay's metrics show outages */);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}

function toDomainEvent(event: SecurityEvent): DomainEvent {
  return {
    type: event.type,
    topic: SECURITY_TOPIC,
    aggregateId: event.subject,
    tenantId: event.tenantId ?? PLATFORM_TENANT,
    data: event.data,
  };
}
