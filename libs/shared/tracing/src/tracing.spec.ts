import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { httpRouteMiddleware, shutdownTracing, startTracing, traceLogFields, tracingActive, tracingSettings } from '.';

// Stands in for the SDK module, and records whether it was ever loaded.
const mockSdkLoaded = jest.fn();
const mockStartSdk = jest.fn(() => ({ shutdown: jest.fn().mockResolvedValue(undefined) }));
jest.mock('./sdk', () => {
  mockSdkLoaded();
  return { startSdk: mockStartSdk, httpRouteMiddleware: () => () => undefined };
});

// The "off" cases run first: the module registry keeps ./sdk once the "on" case loaded it.
describe('tracing off by default', () => {
  afterEach(() => shutdownTracing());

  it.each([
    ['nothing set', {}],
    ['only unrelated settings', { DATABASE_URL: 'postgres://x@y/z', LOG_LEVEL: 'info' }],
    ['an empty endpoint (compose passes unset values as "")', { OTEL_EXPORTER_OTLP_ENDPOINT: '' }],
    [
      'an endpoint with TRACING_ENABLED=false',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', TRACING_ENABLED: 'false' },
    ],
    [
      'an endpoint with OTEL_SDK_DISABLED=true',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' },
    ],
    [
      'an endpoint with OTEL_TRACES_EXPORTER=none',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' },
    ],
  ])('starts nothing with %s: no SDK loaded, no global provider, propagator or context manager', (_, env) => {
    expect(startTracing('identity-backend', env)).toBe(false);

    expect(tracingActive()).toBe(false);
    expect(mockSdkLoaded).not.toHaveBeenCalled();
    expect(httpRouteMiddleware()).toBeNull();
    // The API stays the no-op one: spans are not recorded and nothing is injected into headers.
    const span = trace.getTracer('t').startSpan('s');
    expect(span.isRecording()).toBe(false);
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
    expect(carrier).toEqual({});
    expect(traceLogFields()).toEqual({});
  });

  it('starts the SDK once an endpoint or TRACING_ENABLED=true is set', async () => {
    expect(startTracing('identity-backend', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(startTracing('identity-backend', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(mockStartSdk).toHaveBeenCalledTimes(1);
    expect(tracingActive()).toBe(true);
    expect(httpRouteMiddleware()).toEqual(expect.any(Function));
    await shutdownTracing();
    expect(tracingActive()).toBe(false);

    expect(startTracing('identity-backend', { TRACING_ENABLED: 'true' })).toBe(true);
    expect(mockStartSdk).toHaveBeenCalledTimes(2);
  });

  it('refuses invalid values even when tracing is off, naming the variable', () => {
    expect(() => startTracing('x', { TRACING_ENABLED: 'yes' })).toThrow(/TRACING_ENABLED/);
    expect(() => startTracing('x', { OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(/OTEL_TRACES_SAMPLER must be one of/);
    expect(() => startTracing('x', { OTEL_TRACES_SAMPLER_ARG: '1.5' })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => startTracing('x', { OTEL_BSP_SCHEDULE_DELAY: 'soon' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
    expect(() => startTracing('x', { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(() => startTracing('x', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\):\/\/ URL/,
    );
  });
});

describe('tracingSettings', () => {
  it('defaults to OTLP over HTTP/protobuf, parent-based sampling, W3C trace context, the service name', () => {
    expect(tracingSettings('authorization-server', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toEqual({
      serviceName: 'authorization-server',
      exporter: 'otlp',
      protocol: 'http/protobuf',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      propagators: ['tracecontext'],
      batch: {},
      diagLogLevel: 'warn',
    });
  });

  it('takes the standard OTEL_* settings', () => {
    const settings = tracingSettings('authorization-server', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'authz-eu',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_PROPAGATORS: 'tracecontext,baggage',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BSP_MAX_QUEUE_SIZE: '4096',
      OTEL_LOG_LEVEL: 'error',
    });
    expect(settings).toMatchObject({
      serviceName: 'authz-eu',
      protocol: 'http/json',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      propagators: ['tracecontext', 'baggage'],
      batch: { scheduledDelayMillis: 200, maxQueueSize: 4096 },
      diagLogLevel: 'error',
    });
    expect(tracingSettings('x', { TRACING_ENABLED: 'true', OTEL_PROPAGATORS: 'none' })?.propagators).toEqual([]);
    expect(tracingSettings('x', { OTEL_TRACES_EXPORTER: 'console' })?.exporter).toBe('console');
  });
});

describe('traceLogFields', () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => context.disable());

  it('names the active span, for log lines', () => {
    const spanContext = {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.SAMPLED,
    };
    const fields = context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => traceLogFields());
    expect(fields).toEqual({ trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: '01' });
    expect(traceLogFields()).toEqual({});
  });
});
