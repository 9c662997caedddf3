import { Injectable } from '@nestjs/common';
import { OutboxWriter } from '@platform/events';
import type { EntityManager } from 'typeorm';
import { EventRecorder } from './event-recorder';
import type { IdentityEvent } from './identity-events';

@Injectable()
export class OutboxEventRecorder extends EventRecorder {
  constructor(private readonly outbox: OutboxWriter) {
    super();
  }

  record(manager: EntityManager, events: IdentityEvent[]): Promise<void> {
    return this.outbox.append(manager, events);
  }
}
