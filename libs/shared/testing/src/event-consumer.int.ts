import { randomUUID } from 'node:crypto';
import { postgresDataSourceOptions } from '@platform/database';
import {
  type CloudEvent,
  CreateProcessedEvents1764000011000,
  createKafkaClient,
  ensureTopics,
  EventConsumer,
  ProcessedEvent,
  toCloudEvent,
} from '@platform/events';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { migratedDataSource } from './migrated-data-source';
import { TcpProxy } from './tcp-proxy';
import { createTestDatabase, type TestDatabase, testKafkaBrokers } from './test-database';

/** An event consumer started while the brokers are unreachable (a cut proxy in front of the real broker). */
describe('event consumer started during a Kafka outage', () => {
  const kafka = createKafkaClient({ clientId: 'event-consumer-test', brokers: testKafkaBrokers() });
  let db: TestDatabase;
  let dataSource: DataSource;
  let proxy: TcpProxy;
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('event_consumer');
    dataSource = await migratedDataSource(
      postgresDataSourceOptions({
        url: db.url,
        entities: [ProcessedEvent],
        migrations: [CreateProcessedEvents1764000011000],
      }),
    );
    proxy = await TcpProxy.start(testKafkaBrokers()[0]);
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    await proxy.restore();
  });

  afterAll(async () => {
    await proxy?.stop();
    await dataSource?.destroy();
    await db?.drop();
  });

  function consumerBehindProxy(topic: string, handled: CloudEvent[], warnings: string[]): EventConsumer {
    // No client-level retries, so each join attempt fails fast and the consumer's own retry shows.
    const viaProxy = new Kafka({
      clientId: 'event-consumer-test',
      brokers: [proxy.address],
      connectionTimeout: 1_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const consumer = new EventConsumer({
      kafka: viaProxy,
      dataSource,
      groupId: `outage-${randomUUID()}`,
      topics: [topic],
      handle: async (event) => void handled.push(event),
      log: (level, message) => void (level === 'warn' && warnings.push(message)),
    });
    consumers.push(consumer);
    return consumer;
  }

  it('keeps trying to join, and consumes once the brokers are back', async () => {
    const topic = `test.consumer.${randomUUID()}`;
    await ensureTopics(kafka, [{ topic, numPartitions: 2 }]);
    await proxy.cut();
    const handled: CloudEvent[] = [];
    const warnings: string[] = [];
    const started = consumerBehindProxy(topic, handled, warnings).start();
    await until(() => warnings.includes('event consumer could not join its group; retrying'));

    const event = toCloudEvent(
      { type: 'test.thing.changed.v1', topic, aggregateId: 'user-1', tenantId: 't', data: {} },
      '/test',
    );
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'user-1', value: JSON.stringify(event) }] });
    await producer.disconnect();

    await proxy.restore();
    await started;
    await until(() => handled.length === 1, 20_000);
    expect(handled[0].id).toBe(event.id);
  });

  it('stop() ends the attempts to join at once', async () => {
    await proxy.cut();
    const warnings: string[] = [];
    const consumer = consumerBehindProxy(`test.consumer.${randomUUID()}`, [], warnings);
    const started = consumer.start();
    await until(() => warnings.length > 0);
    const stopping = Date.now();
    await consumer.stop();
    await started;
    expect(Date.now() - stopping).toBeLessThan(2_000);
  });
});

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
