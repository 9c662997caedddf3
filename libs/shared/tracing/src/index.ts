import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { RunningSdk } from './sdk';
import { tracingSettings } from './tracing-config';

export { tracingSettings, type TracingSettings } from './tracing-config';

let running: (RunningSdk & Pick<typeof import('./sdk'), 'httpRouteMiddleware'>) | null = null;

/**
 * Starts OpenTelemetry tracing when the environment asks for it (an OTLP endpoint or
 * TRACING_ENABLED=true; see tracingSettings) and returns whether it did. Off by default:
 * then no SDK module is even loaded, and the @opentelemetry/api calls in the code
 * (outbox and consumer spans, log fields) stay no-ops. Throws a ConfigError on an
 * invalid setting. Call it before Nest, Express, pg or node:http are first required.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (running) return true;
  const settings = tracingSettings(serviceName, env);
  if (!settings) return false;
  // Required here, not imported at the top: with tracing off the SDK is never loaded.
  const sdk: typeof import('./sdk') = require('./sdk');
  running = { ...sdk.startSdk(settings), httpRouteMiddleware: sdk.httpRouteMiddleware };
  return true;
}

/**
 * For a service's entry point: startTracing, or one explanatory line on stderr and exit
 * code 1 when a tracing setting is invalid (like every other configuration error).
 */
export function startTracingOrExit(serviceName: string): void {
  try {
    startTracing(serviceName);
  } catch (error) {
    process.stderr.write(`${serviceName}: ${(error as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }
}

export function tracingActive(): boolean {
  return running !== null;
}

/** Exports the spans still buffered and stops tracing; a no-op when it never started. */
export async function shutdownTracing(): Promise<void> {
  const sdk = running;
  running = null;
  await sdk?.shutdown();
}

/**
 * With tracing on, an Express middleware naming each server span after its matched route
 * (`POST /interaction/:uid/login`); null when tracing is off.
 */
export function httpRouteMiddleware(): ReturnType<typeof import('./sdk').httpRouteMiddleware> | null {
  return running ? running.httpRouteMiddleware() : null;
}

/** `trace_id`, `span_id` and `trace_flags` of the active span, for log lines; empty outside one. */
export function traceLogFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return {
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2),
  };
}
