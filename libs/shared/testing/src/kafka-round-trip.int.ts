import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { createKafkaClient, KafkaConnectivity } from '@platform/events';
import { testKafkaBrokers } from './test-database';

describe('kafkajs against the real broker', () => {
  const brokers = testKafkaBrokers();
  const kafka = createKafkaClient({ clientId: 'round-trip-test', brokers });
  let producer: Producer;
  let consumer: Consumer;

  afterEach(async () => {
    await producer?.disconnect();
    await consumer?.disconnect();
  });

  it('delivers produced messages to a consumer group, in order per key', async () => {
    const topic = `test.round-trip.${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await admin.disconnect();

    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = Array.from({ length: 20 }, (_, i) => ({
      key: `user-${i % 4}`,
      value: JSON.stringify({ seq: i }),
    }));
    await producer.send({ topic, messages });

    consumer = kafka.consumer({ groupId: `round-trip-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: { key: string; seq: number }[] = [];
    const allReceived = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: String(message.key), seq: JSON.parse(String(message.value)).seq });
          if (received.length === messages.length) resolve();
        },
      });
    });
    await allReceived;

    expect(received).toHaveLength(20);
    for (const key of ['user-0', 'user-1', 'user-2', 'user-3']) {
      const seqs = received.filter((m) => m.key === key).map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(seqs).toHaveLength(5);
    }
  });

  it('reports the broker reachable, and an unreachable one as such without throwing', async () => {
    await expect(new KafkaConnectivity(brokers).status()).resolves.toMatchObject({ configured: true, reachable: true });
    await expect(new KafkaConnectivity(['127.0.0.1:1']).status()).resolves.toMatchObject({
      configured: true,
      reachable: false,
      degraded: false, // not yet past the default 30 s threshold
    });
    await expect(new KafkaConnectivity(['127.0.0.1:1'], { degradedAfterMs: 0 }).status()).resolves.toMatchObject({
      reachable: false,
      degraded: true,
      unreachableSince: expect.any(String),
    });
    await expect(new KafkaConnectivity([]).status()).resolves.toMatchObject({ configured: false, degraded: true });
  });
});
