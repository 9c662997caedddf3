import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from './outbox-writer';
import { startSendSpan, traceContextHeaders, withProcessSpan } from './trace-context';

const event = {
  type: 'identity.user.created.v1',
  topic: 'identity.user.v1',
  aggregateId: 'user-1',
  tenantId: 'tenant-1',
  data: {},
};

async function appendedHeaders(): Promise<Record<string, string>> {
  const insert = jest.fn().mockResolvedValue(undefined);
  const manager = { queryRunner: { isTransactionActive: true }, insert, query: jest.fn() };
  await new OutboxWriter('/identity-backend').append(manager as unknown as EntityManager, [event]);
  return insert.mock.calls[0][1][0].headers;
}

describe('trace context with tracing off (no SDK registered)', () => {
  it('adds nothing to outbox rows and passes stored headers through unchanged', async () => {
    const headers = await appendedHeaders();
    expect(Object.keys(headers).sort()).toEqual(['ce_id', 'ce_source', 'ce_tenantid', 'ce_type', 'content-type']);
    const stored = { ...headers, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    const { span, headers: published } = startSendSpan('identity.user.v1', stored, {});
    expect(span.isRecording()).toBe(false);
    expect(published).toEqual(stored);
  });
});

describe('trace context with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = () => trace.getTracer('test');

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });
  beforeEach(() => exporter.reset());

  it('carries a request trace through the outbox row, the send span and the consumer span', async () => {
    // The request: its transaction appends the event.
    const request = tracer().startSpan('POST /api/v1/users', { kind: SpanKind.SERVER });
    const stored = await context.with(trace.setSpan(context.active(), request), appendedHeaders);
    request.end();
    const { traceId, spanId } = request.spanContext();
    expect(stored.traceparent).toBe(`00-${traceId}-${spanId}-01`);

    // The relay, later and outside the request: a child of the stored context.
    const { span: send, headers } = startSendSpan('identity.user.v1', stored, { 'messaging.message.id': 'e-1' });
    send.end();
    expect(headers).toMatchObject({ ce_type: 'identity.user.created.v1' });
    expect(headers.traceparent).toBe(`00-${traceId}-${send.spanContext().spanId}-01`);

    // The consumer, with kafkajs' Buffer header values.
    const kafkaHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    const active = await withProcessSpan('identity.user.v1', kafkaHeaders, { 'messaging.kafka.offset': 7 }, async () =>
      traceContextHeaders(),
    );

    const [requestSpan, sendSpan, processSpan] = exporter.getFinishedSpans();
    expect(sendSpan).toMatchObject({ name: 'send identity.user.v1', kind: SpanKind.PRODUCER });
    expect(sendSpan.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
    expect(sendSpan.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.message.id': 'e-1' });
    expect(processSpan).toMatchObject({ name: 'process identity.user.v1', kind: SpanKind.CONSUMER });
    expect(processSpan.spanContext().traceId).toBe(traceId);
    expect(processSpan.parentSpanContext?.spanId).toBe(sendSpan.spanContext().spanId);
    // The handler ran inside the process span (its database spans nest there).
    expect(active.traceparent).toBe(`00-${traceId}-${processSpan.spanContext().spanId}-01`);
  });

  it('marks a failed handling on the consumer span and rethrows', async () => {
    await expect(
      withProcessSpan('identity.user.v1', {}, {}, async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'database down' });
    expect(span.parentSpanContext).toBeUndefined(); // no headers: a trace of its own
  });
});
