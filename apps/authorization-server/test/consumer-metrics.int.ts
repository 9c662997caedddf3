import { randomUUID } from 'node:crypto';
import { eventually, scrapeMetric } from '@platform/testing';
import { startUserEventsConsumer, type UserEventsConsumerUnderTest } from './authz-harness';

/** Consumer lag and dead letters of the user-lifecycle consumer, as /metrics shows them (real broker). */
describe('event consumer metrics', () => {
  let authz: UserEventsConsumerUnderTest;

  beforeAll(async () => {
    authz = await startUserEventsConsumer('consumer-metrics', 3);
  });

  afterAll(async () => {
    await authz?.pg.query('ROLLBACK').catch(() => undefined);
    await authz?.stop();
  });

  const metric = (name: string, extra: Record<string, string> = {}) =>
    scrapeMetric(authz.service.baseUrl, name, { consumer_group: authz.group, topic: authz.topic, ...extra });
  const disabled = (userId: string) => authz.userEvent('identity.user.disabled.v1', userId);

  it('shows the lag rising while events wait and falling back to 0 once they are applied', async () => {
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 0, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}`,
    });

    // Nothing can be recorded as processed while this lock is held: the consumer stalls on its first event.
    await authz.pg.query('BEGIN');
    await authz.pg.query('LOCK TABLE processed_events IN SHARE MODE');
    for (let i = 0; i < 5; i++) await authz.publish(disabled(randomUUID()), `user-${i}`);
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 5, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}, expected 5`,
    });
    expect(await metric('event_consumer_events_total', { outcome: 'applied' })).toBe(0);

    await authz.pg.query('COMMIT');
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 0, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}, expected 0`,
    });
    expect(await metric('event_consumer_events_total', { outcome: 'applied' })).toBe(5);
  });

  it('counts a poison message parked on the dead-letter topic', async () => {
    expect(await metric('event_consumer_dead_lettered_total')).toBe(0);
    await authz.publish('not json at all', 'poison');
    await eventually(async () => (await metric('event_consumer_dead_lettered_total')) === 1, {
      everyMs: 200,
      failure: async () => `dead-lettered is ${await metric('event_consumer_dead_lettered_total')}`,
    });
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 0, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}`,
    });
  });
});
