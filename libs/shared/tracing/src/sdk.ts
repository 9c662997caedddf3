import type { IncomingMessage } from 'node:http';
import { context, diag, DiagLogLevel, propagation, trace, type TextMapPropagator } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  getRPCMetadata,
  RPCType,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { detectResources, envDetector, hostDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { TracingSettings } from './tracing-config';

/** Not worth a trace: probes and scrapes, several a second per pod. */
const UNTRACED_PATHS = ['/health/', '/metrics'];
/**
 * Query parameters never recorded on spans (besides the instrumentation's own list):
 * OAuth codes, tokens and hints that arrive in URLs.
 */
const REDACTED_QUERY_PARAMS = [
  'code',
  'state',
  'nonce',
  'code_challenge',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'token',
  'logout_token',
  'client_secret',
  'client_assertion',
  'request',
  'user_code',
  'login_hint',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
];

export interface RunningSdk {
  shutdown(): Promise<void>;
}

/**
 * Registers the global tracer provider, context manager and propagator, and patches
 * node:http (incoming and outgoing), fetch (undici) and pg. Must run before those
 * modules are first required: services call it from the first import of their main.ts.
 * (Express is not patched: Nest 12 is ESM and imports it where require hooks do not
 * reach; httpRouteMiddleware names the server spans instead.)
 */
export function startSdk(settings: TracingSettings): RunningSdk {
  setDiagnostics(settings);
  const resource = resourceFromAttributes({ 'service.name': settings.serviceName }).merge(
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, then host.name (the pod's name on Kubernetes).
    detectResources({ detectors: [envDetector, hostDetector] }),
  );
  const provider = new TracerProvider({
    resource,
    sampler: sampler(settings),
    spanProcessors: [new BatchSpanProcessor({ exporter: exporter(settings), ...withoutUndefined(settings.batch) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(propagator(settings));
  trace.setGlobalTracerProvider(provider);

  const untraced = (req: IncomingMessage) => UNTRACED_PATHS.some((p) => req.url?.startsWith(p));
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: untraced,
        // Outgoing calls only as part of some traced work (never a trace of their own).
        requireParentforOutgoingSpans: true,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
      }),
      // Node's global fetch (the internal API client, JWKS, back-channel logout) is undici.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // Statements text only (no parameter values); none outside a traced request or event.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    ],
  });

  return {
    async shutdown() {
      unregister();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/**
 * Express middleware that gives the server span its matched route: `http.route` and the
 * span name `POST /interaction/:uid/login` instead of a bare `POST` (the route pattern,
 * never the raw path, like the metrics' `route` label).
 */
export function httpRouteMiddleware() {
  return (req: { route?: { path?: unknown } }, res: { end: (...args: never[]) => unknown }, next: () => void) => {
    const metadata = getRPCMetadata(context.active());
    if (metadata?.type === RPCType.HTTP) {
      const end = res.end;
      // Read when the response ends: express sets req.route only once a route matched.
      res.end = function (this: unknown, ...args: never[]) {
        const route = req.route?.path;
        if (typeof route === 'string') metadata.route = route;
        return end.apply(this, args);
      };
    }
    next();
  };
}

function exporter(settings: TracingSettings): SpanExporter {
  if (settings.exporter === 'console') return new ConsoleSpanExporter();
  // Endpoint, headers, timeout and compression come from OTEL_EXPORTER_OTLP_* (read by the exporter).
  return settings.protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
}

function sampler({ sampler: name, samplerRatio }: TracingSettings): Sampler {
  const ratio = new TraceIdRatioBasedSampler(samplerRatio);
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function propagator({ propagators }: TracingSettings): TextMapPropagator {
  return new CompositePropagator({
    propagators: propagators.map((name) =>
      name === 'baggage' ? new W3CBaggagePropagator() : new W3CTraceContextPropagator(),
    ),
  });
}

const DIAG_LEVELS: Record<TracingSettings['diagLogLevel'], DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/** The SDK's own complaints (an unreachable collector, dropped spans) as JSON log lines. */
function setDiagnostics({ serviceName, diagLogLevel }: TracingSettings): void {
  const line =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      const detail = args.map((arg) => (arg instanceof Error ? arg.message : safeString(arg))).join(' ');
      const msg = `opentelemetry: ${message}${detail ? ` ${detail}` : ''}`;
      process.stdout.write(`${JSON.stringify({ level, time: Date.now(), name: serviceName, msg })}\n`);
    };
  diag.setLogger(
    { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug'), verbose: line('trace') },
    { logLevel: DIAG_LEVELS[diagLogLevel], suppressOverrideMessage: true },
  );
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
