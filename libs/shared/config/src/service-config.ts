import { z } from 'zod';
import { kafkaBrokers, logLevel, nonNegativeInt, port, positiveInt, postgresUrl } from './env-vars';

/** Settings every service shares; each service extends this with its own. */
export const serviceConfigShape = (defaultPort: number) => ({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port(defaultPort),
  DATABASE_URL: postgresUrl(),
  DATABASE_POOL_SIZE: positiveInt(10),
  KAFKA_BROKERS: kafkaBrokers(),
  /** Brokers unreachable for longer than this show as degraded (health details, metrics); 0 = at once. */
  KAFKA_DEGRADED_AFTER_SECONDS: nonNegativeInt(30),
  /** Partitions of the topics this service creates at start-up (existing topics are left alone). */
  KAFKA_TOPIC_PARTITIONS: positiveInt(6),
  /** `retention.ms` of the topics this service creates, in hours; 0 = the broker's default. */
  KAFKA_TOPIC_RETENTION_HOURS: nonNegativeInt(0),
  LOG_LEVEL: logLevel(),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/, 'must look like 100kb or 1mb')
    .default('100kb'),
});

export type ServiceConfig = z.output<z.ZodObject<ReturnType<typeof serviceConfigShape>>>;
