import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@platform/events';
import type { EntityManager } from 'typeorm';
import { AuditEntry } from '../audit/audit-entry.entity';
import { currentRequestContext } from '../common/request-context';
import { MailOutbox } from '../mail/mail-outbox';
import { securityNotifications } from '../mail/security-notifications';
import { EventRecorder } from './event-recorder';
import type { IdentityEvent } from './identity-events';

/**
 * Every recorded change goes, in the caller's transaction, to the outbox (for Kafka)
 * and to the audit log (with who did it and from where); the security notifications they
 * call for go to the mail outbox in the same transaction.
 */
@Injectable()
export class OutboxEventRecorder extends EventRecorder {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly mail: MailOutbox,
  ) {
    super();
  }

  async record(manager: EntityManager, events: IdentityEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.outbox.append(manager, events);
    await this.mail.enqueue(manager, securityNotifications(events));
    const context = currentRequestContext();
    await manager.insert(
      AuditEntry,
      events.map((event) => ({
        tenantId: event.tenantId,
        action: event.type,
        targetType: event.topic.split('.')[1] ?? 'unknown',
        targetId: event.aggregateId,
        actor: context?.actor ?? null,
        actorType: context?.actorType ?? 'system',
        clientId: context?.clientId ?? null,
        ip: context?.ip ?? null,
        requestId: context?.requestId ?? null,
        details: event.data as never,
      })),
    );
  }
}
