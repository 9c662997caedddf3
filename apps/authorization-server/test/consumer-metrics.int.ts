import { randomUUID } from 'node:crypto';
import { createKafkaClient, ensureTopics, toCloudEvent } from '@platform/events';
import { freePort } from '@platform/local-infra';
import {
  createTestDatabase,
  scrapeMetric,
  startService,
  testKafkaBrokers,
  type RunningService,
  type TestDatabase,
  eventually,
} from '@platform/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { authorizationServer } from '../src/authorization-server';

/** Consumer lag and dead letters of the user-lifecycle consumer, as /metrics shows them (real broker). */
describe('event consumer metrics', () => {
  let db: TestDatabase;
  let service: RunningService;
  let producer: Producer;
  let pg: Client;
  const kafka = createKafkaClient({ clientId: 'consumer-metrics-test', brokers: testKafkaBrokers() });
  const topic = `identity.user.v1.metrics-${randomUUID()}`;
  const group = `metrics-${randomUUID()}`;
  const labels = { consumer_group: group, topic };

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic, numPartitions: 3 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ]);
    db = await createTestDatabase('authz_consumer_metrics');
    const port = await freePort();
    service = await startService(
      authorizationServer,
      {
        DATABASE_URL: db.url,
        ISSUER: `http://127.0.0.1:${port}`,
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        USER_EVENTS_CONSUMER_GROUP: group,
        USER_EVENTS_TOPIC: topic,
      },
      { port },
    );
    producer = kafka.producer();
    await producer.connect();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.query('ROLLBACK').catch(() => undefined);
    await producer?.disconnect();
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  const metric = (name: string, extra: Record<string, string> = {}) =>
    scrapeMetric(service.baseUrl, name, { ...labels, ...extra });
  const publish = (value: string, key: string) => producer.send({ topic, messages: [{ key, value }] });
  const disabled = (userId: string) =>
    JSON.stringify(
      toCloudEvent(
        {
          type: 'identity.user.disabled.v1',
          topic: 'identity.user.v1',
          aggregateId: userId,
          tenantId: randomUUID(),
          data: { userId },
        },
        '/identity-backend',
      ),
    );

  it('shows the lag rising while events wait and falling back to 0 once they are applied', async () => {
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 0, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}`,
    });

    // Nothing can be recorded as processed while this lock is held: the consumer stalls on its first event.
    await pg.query('BEGIN');
    await pg.query('LOCK TABLE processed_events IN SHARE MODE');
    for (let i = 0; i < 5; i++) await publish(disabled(randomUUID()), `user-${i}`);
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 5, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}, expected 5`,
    });
    expect(await metric('event_consumer_events_total', { outcome: 'applied' })).toBe(0);

    await pg.query('COMMIT');
    await eventually(async () => (await metric('kafka_consumer_lag_messages')) === 0, {
      everyMs: 200,
      failure: async () => `lag is ${await metric('kafka_consumer_lag_messages')}, expected 0`,
    });
    expect(await metric('event_consumer_events_total', { outcome: 'applied' })).toBe(5);
  });

  it('counts a poison message parked on the dead-letter topic', async () => {
    expect(await metric('event_consumer_dead_lettered_total')).toBe(0);
    await publish('not json at all', 'poison');
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
