// main.ts imports this first: the OpenTelemetry SDK (when configured) must patch node:http,
// Express and pg before anything requires them. Off unless OTEL_EXPORTER_OTLP_ENDPOINT or
// TRACING_ENABLED=true is set.
import { startTracingOrExit } from '@platform/tracing';

startTracingOrExit('identity-backend');
