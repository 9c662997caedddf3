import { ConfigError, loadConfig } from '@platform/config';
import { z } from 'zod';

const flag = () => z.enum(['true', 'false']).optional();
const optionalInt = (what: string) =>
  z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || /^\d+$/.test(v), { message: `must be ${what}` })
    .transform((v) => (v ? Number(v) : undefined));

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
const PROTOCOLS = ['http/protobuf', 'http/json'] as const;
const PROPAGATORS = ['tracecontext', 'baggage', 'none'] as const;

/**
 * The tracing settings both services read (besides the ones the OTLP exporter reads
 * itself, listed so that deployment checks know them). Standard OpenTelemetry names:
 * https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
 */
const tracingEnv = z.object({
  /** `true` starts tracing even without an endpoint (default collector http://localhost:4318), `false` never. */
  TRACING_ENABLED: flag(),
  /** `true` turns tracing off whatever else is set (the SDK's own switch). */
  OTEL_SDK_DISABLED: flag(),
  /** `otlp` (default), `console` (spans as JSON lines on stdout, for debugging) or `none` (off). */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
  /** Collector base URL; `/v1/traces` is appended. Setting it turns tracing on. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  /** Full traces URL, used as is; overrides the base URL. Setting it turns tracing on. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(PROTOCOLS, { error: `must be ${PROTOCOLS.join(' or ')}` }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(PROTOCOLS, { error: `must be ${PROTOCOLS.join(' or ')}` }).optional(),
  /** Read by the exporter: `key=value,...` sent with every export (e.g. an API key); keep it in a Secret. */
  OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: z.string().optional(),
  /** Read by the exporter: export request timeout in ms (default 10000). */
  OTEL_EXPORTER_OTLP_TIMEOUT: z.string().optional(),
  OTEL_EXPORTER_OTLP_COMPRESSION: z.string().optional(),
  /** Read by the exporter: PEM files for a collector behind TLS with a private CA or mutual TLS. */
  OTEL_EXPORTER_OTLP_CERTIFICATE: z.string().optional(),
  OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: z.string().optional(),
  OTEL_EXPORTER_OTLP_CLIENT_KEY: z.string().optional(),
  /** Defaults to the service's name (`identity-backend`, `authorization-server`). */
  OTEL_SERVICE_NAME: z.string().optional(),
  /** `key=value,...` added to every span's resource (e.g. `deployment.environment.name=prod`). */
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).optional(),
  /** Ratio for the `*traceidratio` samplers, 0 to 1 (default 1). */
  OTEL_TRACES_SAMPLER_ARG: z
    .string()
    .optional()
    .refine((v) => !v || (/^\d*\.?\d+$/.test(v) && Number(v) <= 1), { message: 'must be a number from 0 to 1' })
    .transform((v) => (v ? Number(v) : undefined)),
  /** `tracecontext` (default), `baggage`, or `none`, comma-separated. */
  OTEL_PROPAGATORS: z
    .string()
    .optional()
    .transform((v) =>
      (v || 'tracecontext')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every((p) => (PROPAGATORS as readonly string[]).includes(p)), {
      message: `must list only ${PROPAGATORS.join(', ')}`,
    }),
  /** Batch span processor: delay between exports (ms, default 5000), export timeout, queue and batch sizes. */
  OTEL_BSP_SCHEDULE_DELAY: optionalInt('a number of milliseconds'),
  OTEL_BSP_EXPORT_TIMEOUT: optionalInt('a number of milliseconds'),
  OTEL_BSP_MAX_QUEUE_SIZE: optionalInt('a positive integer'),
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: optionalInt('a positive integer'),
  /** The SDK's own diagnostics on stderr: `none`, `error`, `warn` (default), `info`, `debug`, `verbose`, `all`. */
  OTEL_LOG_LEVEL: z.enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']).optional(),
});

export type TracingEnv = z.output<typeof tracingEnv>;

export interface TracingSettings {
  serviceName: string;
  exporter: 'otlp' | 'console';
  protocol: (typeof PROTOCOLS)[number];
  sampler: (typeof SAMPLERS)[number];
  samplerRatio: number;
  propagators: ('tracecontext' | 'baggage')[];
  batch: {
    scheduledDelayMillis?: number;
    exportTimeoutMillis?: number;
    maxQueueSize?: number;
    maxExportBatchSize?: number;
  };
  diagLogLevel: NonNullable<TracingEnv['OTEL_LOG_LEVEL']>;
}

/**
 * Whether (and how) to trace, from the environment: off unless an OTLP endpoint or
 * TRACING_ENABLED=true is set; OTEL_SDK_DISABLED=true, TRACING_ENABLED=false and
 * OTEL_TRACES_EXPORTER=none always win. Returns null when off. Throws a ConfigError
 * naming the variable when a value is invalid (even when off, so a typo shows at once).
 */
export function tracingSettings(serviceName: string, env: NodeJS.ProcessEnv = process.env): TracingSettings | null {
  // Empty values count as unset (compose passes `${VAR:-}` through as "").
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = loadConfig(tracingEnv, present);
  if (parsed.OTEL_SDK_DISABLED === 'true' || parsed.TRACING_ENABLED === 'false') return null;
  if (parsed.OTEL_TRACES_EXPORTER === 'none') return null;
  const endpoint = parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? parsed.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (parsed.TRACING_ENABLED !== 'true' && !endpoint && parsed.OTEL_TRACES_EXPORTER !== 'console') return null;
  if (endpoint && !(URL.canParse(endpoint) && ['http:', 'https:'].includes(new URL(endpoint).protocol))) {
    const name = parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
      ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
      : 'OTEL_EXPORTER_OTLP_ENDPOINT';
    throw new ConfigError(
      `Invalid configuration: ${name} must be an http(s):// URL (OTLP over HTTP; gRPC is not supported)`,
    );
  }
  const propagators = parsed.OTEL_PROPAGATORS.includes('none')
    ? []
    : (parsed.OTEL_PROPAGATORS as ('tracecontext' | 'baggage')[]);
  return {
    serviceName: parsed.OTEL_SERVICE_NAME ?? serviceName,
    exporter: parsed.OTEL_TRACES_EXPORTER === 'console' ? 'console' : 'otlp',
    protocol: parsed.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? parsed.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf',
    sampler: parsed.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    samplerRatio: parsed.OTEL_TRACES_SAMPLER_ARG ?? 1,
    propagators: [...new Set(propagators)],
    batch: {
      scheduledDelayMillis: parsed.OTEL_BSP_SCHEDULE_DELAY,
      exportTimeoutMillis: parsed.OTEL_BSP_EXPORT_TIMEOUT,
      maxQueueSize: parsed.OTEL_BSP_MAX_QUEUE_SIZE,
      maxExportBatchSize: parsed.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
    },
    diagLogLevel: parsed.OTEL_LOG_LEVEL ?? 'warn',
  };
}
