import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from './kafka-client';

describe('kafkaLogLevel', () => {
  it('keeps real errors at error level', () => {
    expect(kafkaLogLevel(logLevel.ERROR, '[Connection] Connection error', { error: 'connect ECONNREFUSED' })).toBe(
      'error',
    );
  });

  it('logs the broker-start answers kafkajs retries by itself at info level', () => {
    expect(
      kafkaLogLevel(logLevel.ERROR, '[Connection] Response GroupCoordinator(key: 10, version: 2)', {
        error: 'The group coordinator is not available',
      }),
    ).toBe('info');
    expect(
      kafkaLogLevel(logLevel.ERROR, "[Runner] The coordinator is loading and hence can't process requests", {}),
    ).toBe('info');
  });

  it('logs a group rebalance, which kafkajs rejoins by itself, at info level', () => {
    expect(
      kafkaLogLevel(logLevel.ERROR, '[Connection] Response Heartbeat(key: 12, version: 3)', {
        error: 'The group is rebalancing, so a rejoin is needed',
      }),
    ).toBe('info');
  });

  it("logs the idempotent producer's retry-limit notice (a deliberate setting of the outbox relay) at info level", () => {
    expect(
      kafkaLogLevel(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees', {}),
    ).toBe('info');
  });

  it('maps the other levels as they are', () => {
    expect(kafkaLogLevel(logLevel.WARN, 'x', {})).toBe('warn');
    expect(kafkaLogLevel(logLevel.INFO, 'x', {})).toBe('info');
  });
});
