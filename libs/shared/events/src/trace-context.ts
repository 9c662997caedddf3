import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/**
 * Trace context across the outbox and Kafka (W3C `traceparent`/`tracestate` headers,
 * OpenTelemetry messaging conventions). Everything here goes through @opentelemetry/api:
 * while no SDK is registered (tracing off, the default) it does nothing and costs next
 * to nothing — no headers are added and no spans recorded.
 *
 *   request (span)  --outbox row headers-->  relay: "send <topic>" span (child of the request)
 *                   --Kafka headers-->       consumer: "process <topic>" span (child of the send)
 */
const tracer = () => trace.getTracer('@platform/events');

/** The active trace context as header entries: what the outbox stores with each event. */
export function traceContextHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

const kafkaHeaderGetter: TextMapGetter<IHeaders> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const value = carrier[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/**
 * Starts the PRODUCER span of one outbox message, as a child of the transaction that wrote
 * it (the context stored in its headers), and returns the headers to publish: the stored
 * ones with the trace context replaced by this span's, so the consumer continues from here.
 */
export function startSendSpan(
  topic: string,
  stored: Record<string, string>,
  attributes: Attributes,
): { span: Span; headers: Record<string, string> } {
  const parent = propagation.extract(ROOT_CONTEXT, stored);
  const span = tracer().startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        ...attributes,
      },
    },
    parent,
  );
  const headers = { ...stored, ...traceContextHeaders(trace.setSpan(parent, span)) };
  return { span, headers };
}

/**
 * Runs `work` inside the CONSUMER span of one message, a child of the producer span whose
 * context came in the message headers; database spans of the handler nest under it.
 */
export async function withProcessSpan<T>(
  topic: string,
  headers: IHeaders | undefined,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, headers ?? {}, kafkaHeaderGetter);
  const span = tracer().startSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        ...attributes,
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export function failSpan(span: Span, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  span.recordException(error instanceof Error ? error : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
}
