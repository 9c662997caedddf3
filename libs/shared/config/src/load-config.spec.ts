import { z } from 'zod';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { serviceConfigShape } from './service-config';

const schema = z.object(serviceConfigShape(3001));
const validEnv = { DATABASE_URL: 'postgres://app:pw@127.0.0.1:5432/identity' };

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(schema, validEnv);
    expect(config).toMatchObject({ PORT: 3001, HOST: '127.0.0.1', KAFKA_BROKERS: [], LOG_LEVEL: 'info' });
  });

  it('has Kafka topic and outage defaults, and accepts 0 for the degraded threshold', () => {
    expect(loadConfig(schema, validEnv)).toMatchObject({
      KAFKA_DEGRADED_AFTER_SECONDS: 30,
      KAFKA_TOPIC_PARTITIONS: 6,
      KAFKA_TOPIC_RETENTION_HOURS: 0,
    });
    expect(loadConfig(schema, { ...validEnv, KAFKA_DEGRADED_AFTER_SECONDS: '0' }).KAFKA_DEGRADED_AFTER_SECONDS).toBe(0);
    expect(() => loadConfig(schema, { ...validEnv, KAFKA_DEGRADED_AFTER_SECONDS: '-1' })).toThrow(
      /KAFKA_DEGRADED_AFTER_SECONDS must be a non-negative integer/,
    );
    expect(() => loadConfig(schema, { ...validEnv, KAFKA_TOPIC_PARTITIONS: '0' })).toThrow(/KAFKA_TOPIC_PARTITIONS/);
  });

  it('rejects a non-numeric port with a one-line message naming the variable and value', () => {
    expect(() => loadConfig(schema, { ...validEnv, PORT: 'abc' })).toThrow(
      new ConfigError('Invalid configuration: PORT must be an integer between 1 and 65535 (got "abc")'),
    );
  });

  it('rejects an out-of-range port', () => {
    expect(() => loadConfig(schema, { ...validEnv, PORT: '70000' })).toThrow(/PORT must be an integer/);
  });

  it('rejects a malformed DATABASE_URL without echoing its password', () => {
    let message = '';
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://u:hunter2@db/x' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: DATABASE_URL must be a postgres:\/\//);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
  });

  it('reports a missing DATABASE_URL', () => {
    expect(() => loadConfig(schema, {})).toThrow(/DATABASE_URL is required/);
  });

  it('parses a broker list and rejects garbage in it', () => {
    expect(loadConfig(schema, { ...validEnv, KAFKA_BROKERS: '127.0.0.1:9092, kafka-1:9093' }).KAFKA_BROKERS).toEqual([
      '127.0.0.1:9092',
      'kafka-1:9093',
    ]);
    expect(() => loadConfig(schema, { ...validEnv, KAFKA_BROKERS: 'not a broker' })).toThrow(/KAFKA_BROKERS/);
  });

  it('lists every problem at once', () => {
    expect(() => loadConfig(schema, { PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(
      /PORT .*; .*DATABASE_URL|DATABASE_URL.*PORT/,
    );
  });
});
