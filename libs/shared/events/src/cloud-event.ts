import { randomUUID } from 'node:crypto';

/** CloudEvents 1.0, JSON format, with the `tenantid` extension attribute. */
export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0';
  id: string;
  /** URI-reference of the producing service, e.g. `/identity-backend`. */
  source: string;
  /** Versioned event type, e.g. `identity.user.created.v1`. */
  type: string;
  /** The aggregate the event is about. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Extension attribute: CloudEvents names are lower-case alphanumerics only. */
  tenantid: string;
  data: T;
}

/** A state change a command handler announces; the outbox wraps it in a CloudEvent. */
export interface DomainEvent<T = Record<string, unknown>> {
  type: string;
  topic: string;
  /** Message key: per-aggregate ordering holds on Kafka. */
  aggregateId: string;
  tenantId: string;
  /** Identifiers and changed field names only: never secrets, hashes or tokens. */
  data: T;
}

/** Structured content mode of the CloudEvents Kafka binding: the whole event is the message value. */
export const CLOUD_EVENT_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

export function toCloudEvent<T>(event: DomainEvent<T>, source: string, now = new Date()): CloudEvent<T> {
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

/**
 * Kafka headers for a CloudEvent. The value already carries every attribute; the `ce_`
 * copies let consumers route or drop messages without parsing the value.
 */
export function cloudEventHeaders(event: CloudEvent<unknown>): Record<string, string> {
  return {
    'content-type': CLOUD_EVENT_CONTENT_TYPE,
    ce_id: event.id,
    ce_type: event.type,
    ce_source: event.source,
    ce_tenantid: event.tenantid,
  };
}
