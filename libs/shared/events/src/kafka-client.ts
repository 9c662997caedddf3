import { Kafka, logLevel, type LogEntry } from 'kafkajs';

export interface KafkaClientOptions {
  clientId: string;
  brokers: string[];
  /** Receives kafkajs' own log lines (already structured). */
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: Record<string, unknown>) => void;
}

const LEVELS = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
} as const;

/**
 * Broker answers kafkajs retries by itself while a broker or its group coordinator is still
 * starting (every fresh start meets them), or while a consumer group rebalances because a member
 * came or went; logged at error level by kafkajs, they are routine.
 */
const TRANSIENT_BROKER_ERRORS = [
  'The group coordinator is not available',
  'This is not the correct coordinator for this group',
  "The coordinator is loading and hence can't process requests",
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'The group is rebalancing, so a rejoin is needed',
];

/**
 * Warnings about settings chosen on purpose: the outbox relay bounds its idempotent producer's
 * retries (see OutboxRelay.connectedProducer), which kafkajs notes at every start.
 */
const DELIBERATE_SETTING_WARNINGS = ['Limiting retries for the idempotent producer'];

/** The level a kafkajs log line deserves in our logs. */
export function kafkaLogLevel(level: logLevel, message: string, extra: Record<string, unknown>) {
  const mapped = LEVELS[level as keyof typeof LEVELS] ?? 'info';
  const text = `${message} ${typeof extra.error === 'string' ? extra.error : ''}`;
  if (mapped === 'error' && TRANSIENT_BROKER_ERRORS.some((e) => text.includes(e))) return 'info';
  if (mapped === 'warn' && DELIBERATE_SETTING_WARNINGS.some((w) => text.includes(w))) return 'info';
  return mapped;
}

/** A kafkajs client whose logs go to the service logger instead of stdout. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  silenceKafkajsNegativeTimeoutWarning();
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3_000,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        options.log?.(kafkaLogLevel(level, message, extra), message, extra);
      },
  });
}

let negativeTimeoutWarningSilenced = false;

/**
 * kafkajs 2.2.4 (the current release) arms its idle request-queue check with a negative delay,
 * which Node 24 clamps to 1 ms and reports as a TimeoutNegativeWarning on stderr at every start.
 * Harmless, but the first thing a new user would see: drop that one warning, print the rest as
 * Node does.
 */
function silenceKafkajsNegativeTimeoutWarning(): void {
  if (negativeTimeoutWarningSilenced) return;
  negativeTimeoutWarningSilenced = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name =
      typeof warning === 'string'
        ? typeof rest[0] === 'string'
          ? rest[0]
          : (rest[0] as { type?: string })?.type
        : warning.name;
    if (name === 'TimeoutNegativeWarning') return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
