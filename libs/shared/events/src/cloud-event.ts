import { randomUUID } from 'node:crypto';

/** CloudEvents 1.0, JSON format, with the `tenantid` extension attribute. */
export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  tenantid: string;
  data: T;
}

/** A state change a command handler announces; the outbox wraps it in a CloudEvent. */
export interface DomainEvent {
  type: string;
  topic: string;
  /** Message key: per-aggregate ordering holds on Kafka. */
  aggregateId: string;
  tenantId: string;
  data: Record<string, unknown>;
}

export function toCloudEvent(event: DomainEvent, source: string, now = new Date()): CloudEvent {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source,
    type: event.type,
    subject: event.aggregateId,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    tenantid: event.tenantId,
    data: event.data,
  };
}
