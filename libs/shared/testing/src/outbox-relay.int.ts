import { randomUUID } from 'node:crypto';
import { postgresDataSourceOptions } from '@platform/database';
import {
  CreateOutboxMessages1764000001000,
  createKafkaClient,
  type DomainEvent,
  ensureTopics,
  OUTBOX_RELAY_LOCK_ID,
  OutboxMessage,
  OutboxRelay,
  type OutboxRelayOptions,
  OutboxWriter,
  pruneSentMessages,
  topicDrift,
} from '@platform/events';
import type { Consumer, Kafka } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { expectNoSchemaDrift, migratedDataSource } from './migrated-data-source';
import { readTopicsFromStart } from './read-topics';
import { createTestDatabase, type TestDatabase, testKafkaBrokers } from './test-database';

interface Received {
  key: string;
  value: Record<string, unknown> & { id: string; subject: string; data: { n: number } };
  headers: Record<string, string>;
}

describe('transactional outbox and Kafka relay (real Postgres, real Kafka)', () => {
  const kafka = createKafkaClient({ clientId: 'outbox-relay-test', brokers: testKafkaBrokers() });
  const unreachableKafka = createKafkaClient({ clientId: 'outbox-relay-test-down', brokers: ['127.0.0.1:1'] });
  const writer = new OutboxWriter('/outbox-test');
  let db: TestDatabase;
  let dataSource: DataSource;
  const relays: OutboxRelay[] = [];
  const consumers: Consumer[] = [];
  const extraDataSources: DataSource[] = [];

  const dataSourceOptions = () =>
    postgresDataSourceOptions({
      url: db.url,
      poolSize: 6,
      entities: [OutboxMessage],
      migrations: [CreateOutboxMessages1764000001000],
    });

  beforeAll(async () => {
    db = await createTestDatabase('outbox_relay');
    dataSource = await migratedDataSource(dataSourceOptions());
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await Promise.all(consumers.splice(0).map((consumer) => consumer.disconnect()));
    await Promise.all(extraDataSources.splice(0).map((ds) => ds.destroy()));
    await dataSource.query('TRUNCATE outbox_messages');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  async function newTopic(numPartitions = 3): Promise<string> {
    const topic = `test.outbox.${randomUUID()}`;
    await ensureTopics(kafka, [{ topic, numPartitions }]);
    return topic;
  }

  function startRelay(options: Partial<OutboxRelayOptions> = {}): OutboxRelay {
    const relay = new OutboxRelay({ dataSource, kafka, minBackoffMs: 50, maxBackoffMs: 1_000, ...options });
    relays.push(relay);
    relay.start();
    return relay;
  }

  const event = (topic: string, key: string, n: number, extra: Record<string, unknown> = {}): DomainEvent => ({
    type: 'test.thing.changed.v1',
    topic,
    aggregateId: key,
    tenantId: 'tenant-1',
    data: { n, ...extra },
  });

  const commit = (events: DomainEvent[], on: DataSource = dataSource) =>
    on.transaction((manager) => writer.append(manager, events));

  /** Reads `topic` from the beginning until `count` messages arrived. */
  async function readTopic(topic: string, count: number, timeoutMs = 30_000): Promise<Received[]> {
    // A short fetch wait keeps disconnect() quick.
    const received: Received[] = [];
    const consumer = await readTopicsFromStart(
      kafka,
      'outbox-test',
      [topic],
      (message) => {
        received.push({
          key: String(message.key),
          value: JSON.parse(String(message.value)),
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
      },
      { maxWaitTimeInMs: 100 },
    );
    consumers.push(consumer);
    await until(
      () => received.length >= count,
      timeoutMs,
      () => `${received.length} of ${count} messages arrived`,
    );
    return received;
  }

  const unsentCount = async () =>
    (await dataSource.query('SELECT count(*)::int AS n FROM outbox_messages WHERE sent_at IS NULL'))[0].n as number;

  const byKey = (messages: Received[]) => {
    const order: Record<string, number[]> = {};
    for (const m of messages) (order[m.key] ??= []).push(m.value.data.n);
    return order;
  };

  it('has an entity that matches its migration exactly', async () => {
    await expect(expectNoSchemaDrift(dataSource)).resolves.toBeUndefined();
  });

  it('publishes a committed event as a CloudEvent, keyed by aggregate id, with ce_ headers', async () => {
    const topic = await newTopic();
    const relay = startRelay();
    await commit([event(topic, 'user-1', 1)]);

    const [message] = await readTopic(topic, 1);
    const [row] = await dataSource.getRepository(OutboxMessage).find();
    expect(message.key).toBe('user-1');
    expect(message.value).toEqual(row.payload);
    expect(message.value).toEqual({
      specversion: '1.0',
      id: row.eventId,
      source: '/outbox-test',
      type: 'test.thing.changed.v1',
      subject: 'user-1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      datacontenttype: 'application/json',
      tenantid: 'tenant-1',
      data: { n: 1 },
    });
    expect(message.headers).toEqual({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      ce_id: row.eventId,
      ce_type: 'test.thing.changed.v1',
      ce_source: '/outbox-test',
      ce_tenantid: 'tenant-1',
    });
    await until(async () => (await unsentCount()) === 0 && relay.stats.published === 1);
    const sent = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ seq: row.seq });
    expect(sent).toMatchObject({ attempts: 1, lastError: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(relay.stats).toMatchObject({ published: 1, failedAttempts: 0, leader: true });
  });

  it('wakes on NOTIFY at commit instead of waiting for the next poll', async () => {
    const topic = await newTopic();
    const relay = startRelay({ pollIntervalMs: 60_000 });
    await until(() => relay.stats.leader);
    await sleep(500); // the relay is now in its long poll sleep

    const committedAt = Date.now();
    await commit([event(topic, 'user-1', 1)]);
    await until(() => relay.stats.published === 1, 5_000);
    expect(Date.now() - committedAt).toBeLessThan(2_000);
  });

  it('writes nothing when the transaction rolls back', async () => {
    const topic = await newTopic();
    startRelay();
    await expect(
      dataSource.transaction(async (manager) => {
        await writer.append(manager, [event(topic, 'rolled-back', 1)]);
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    await commit([event(topic, 'committed', 1)]);

    const messages = await readTopic(topic, 1);
    await sleep(1_000); // anything else would have arrived by now
    expect(messages.map((m) => m.key)).toEqual(['committed']);
    expect(await dataSource.getRepository(OutboxMessage).count()).toBe(1);
  });

  it('rejects an event over 256 KB, together with its transaction', async () => {
    const topic = await newTopic();
    await expect(commit([event(topic, 'user-1', 1, { blob: 'x'.repeat(256 * 1024) })])).rejects.toThrow(/limit/);
    expect(await dataSource.getRepository(OutboxMessage).count()).toBe(0);
  });

  it('splits a burst of large events into batches Kafka accepts, still in order', async () => {
    const topic = await newTopic(1);
    // 12 x ~200 KB on one partition: a single record batch would exceed the broker's 1 MB limit.
    await commit(Array.from({ length: 12 }, (_, i) => event(topic, 'big', i + 1, { blob: 'y'.repeat(200_000) })));
    const relay = startRelay();

    const messages = await readTopic(topic, 12);
    expect(byKey(messages)).toEqual({ big: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });
    expect(relay.stats.failedAttempts).toBe(0);
  });

  it('keeps events while the broker is unreachable, then publishes them all in per-key order', async () => {
    const topic = await newTopic();
    for (let n = 1; n <= 5; n++) {
      await commit([event(topic, 'key-a', n), event(topic, 'key-b', n)]);
      await commit([event(topic, 'key-c', n)]);
    }
    const down = startRelay({ kafka: unreachableKafka, backlogRefreshMs: 100 });
    await until(() => down.stats.failedAttempts >= 1 && down.stats.backlog === 15, 30_000);

    expect(await unsentCount()).toBe(15);
    const [failed] = await dataSource.query(
      `SELECT min(attempts) AS attempts, bool_and(last_error IS NOT NULL) AS "allHaveError",
              bool_and(available_at > created_at) AS "allBackedOff"
         FROM outbox_messages WHERE sent_at IS NULL`,
    );
    expect(failed).toMatchObject({ allHaveError: true, allBackedOff: true });
    expect(failed.attempts).toBeGreaterThanOrEqual(1);
    expect(down.stats).toMatchObject({ published: 0, leader: true });
    expect(down.stats.oldestUnsentAgeSeconds).toBeGreaterThan(0);

    const stopping = Date.now();
    await down.stop();
    relays.splice(relays.indexOf(down), 1);
    expect(Date.now() - stopping).toBeLessThan(2_000); // no waiting out kafkajs' connection retries

    const up = startRelay();
    const messages = await readTopic(topic, 15);
    expect(byKey(messages)).toEqual({ 'key-a': [1, 2, 3, 4, 5], 'key-b': [1, 2, 3, 4, 5], 'key-c': [1, 2, 3, 4, 5] });
    await until(async () => (await unsentCount()) === 0 && up.stats.published === 15);
  });

  it('runs two relays on one database: every event published once, none stuck, per-key order kept', async () => {
    const topic = await newTopic();
    const replica = await new DataSource(dataSourceOptions()).initialize();
    extraDataSources.push(replica);
    const first = startRelay({ batchSize: 7 });
    const second = startRelay({ dataSource: replica, batchSize: 7 });

    const keys = Array.from({ length: 10 }, (_, i) => `user-${i}`);
    await Promise.all(
      keys.map(async (key, i) => {
        for (let n = 1; n <= 20; n++) await commit([event(topic, key, n)], i % 2 === 0 ? dataSource : replica);
      }),
    );

    const messages = await readTopic(topic, 200);
    await until(async () => (await unsentCount()) === 0);
    await sleep(1_000); // duplicates would have arrived by now
    expect(messages).toHaveLength(200);
    const ns = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(byKey(messages)).toEqual(Object.fromEntries(keys.map((key) => [key, ns])));
    expect(first.stats.published + second.stats.published).toBe(200);
  });

  it('stands by while another relay holds the lock, and takes over when that leader dies', async () => {
    const topic = await newTopic();
    const stuckLeader = new Client({ connectionString: db.url });
    await stuckLeader.connect();
    await stuckLeader.query('BEGIN');
    await stuckLeader.query('SELECT pg_advisory_xact_lock($1)', [OUTBOX_RELAY_LOCK_ID]);
    const relay = startRelay();
    await commit([event(topic, 'user-1', 1)]);
    await sleep(1_000);
    expect(relay.stats).toMatchObject({ published: 0, leader: false });

    const [{ pid }] = (await stuckLeader.query('SELECT pg_backend_pid() AS pid')).rows;
    stuckLeader.on('error', () => undefined);
    await dataSource.query('SELECT pg_terminate_backend($1)', [pid]);
    await readTopic(topic, 1);
    await until(() => relay.stats.published === 1); // counted once its transaction has committed
    expect(relay.stats.leader).toBe(true);
    await stuckLeader.end().catch(() => undefined);
  });

  it('publishes a row whose transaction commits after later rows were already published', async () => {
    const topic = await newTopic();
    const relay = startRelay();
    const late = dataSource.createQueryRunner();
    await late.connect();
    await late.startTransaction();
    await writer.append(late.manager, [event(topic, 'late', 1)]);

    await commit([event(topic, 'early', 1)]);
    await until(() => relay.stats.published === 1);
    await late.commitTransaction();
    await late.release();

    const messages = await readTopic(topic, 2);
    expect(messages.map((m) => m.key).sort()).toEqual(['early', 'late']);
    const rows = await dataSource.query('SELECT message_key, seq FROM outbox_messages ORDER BY seq');
    expect(rows.map((r: { message_key: string }) => r.message_key)).toEqual(['late', 'early']);
    await until(async () => (await unsentCount()) === 0);
  });

  it('stop() lets the batch in flight finish: every row is either published and marked, or neither', async () => {
    const topic = await newTopic();
    await commit(Array.from({ length: 500 }, (_, i) => event(topic, `user-${i % 5}`, i)));
    const relay = startRelay({ batchSize: 25 });
    await until(() => relay.stats.published > 0);
    await relay.stop();

    const published = relay.stats.published;
    expect(published).toBeGreaterThan(0);
    expect(500 - (await unsentCount())).toBe(published);
    const messages = await readTopic(topic, published);
    await sleep(1_000);
    expect(messages).toHaveLength(published);
  });

  it('prunes only messages sent longer ago than the retention', async () => {
    const topic = `test.outbox.${randomUUID()}`;
    await commit(Array.from({ length: 4 }, (_, i) => event(topic, 'user-1', i)));
    await dataSource.query(`UPDATE outbox_messages SET created_at = now() - interval '3 days'`);
    await dataSource.query(
      `UPDATE outbox_messages SET sent_at = now() - interval '2 days' WHERE seq IN (SELECT seq FROM outbox_messages ORDER BY seq LIMIT 2)`,
    );
    await dataSource.query(
      `UPDATE outbox_messages SET sent_at = now() WHERE seq = (SELECT max(seq) FROM outbox_messages)`,
    );

    expect(await pruneSentMessages(dataSource, 24 * 3_600_000, 1)).toBe(2);
    expect(await pruneSentMessages(dataSource, 24 * 3_600_000)).toBe(0);
    const left = await dataSource.query('SELECT sent_at IS NULL AS unsent FROM outbox_messages ORDER BY seq');
    expect(left).toEqual([{ unsent: true }, { unsent: false }]);
  });

  it('creates its topics before the first publish when given them', async () => {
    const topic = `test.outbox.${randomUUID()}`;
    const relay = startRelay({ topics: [{ topic, numPartitions: 5 }] });
    await commit([event(topic, 'user-1', 1)]);
    await until(() => relay.stats.published === 1); // a consumer cannot subscribe to a topic that does not exist yet
    await readTopic(topic, 1);
    expect(relay.stats.failedAttempts).toBe(0);
    expect(await describeTopic(kafka, topic)).toMatchObject({ partitions: 5 });
  });

  it('creates its topics when it starts, before there is any event to publish', async () => {
    const topic = `test.outbox.${randomUUID()}`;
    startRelay({ topics: [{ topic, numPartitions: 4, retentionMs: 7_200_000 }] });
    await until(async () => (await listTopics(kafka)).includes(topic), 10_000);
    expect(await describeTopic(kafka, topic)).toEqual({ partitions: 4, retentionMs: '7200000' });
  });

  it('reports existing topics whose partitions or retention differ from the configuration, and changes nothing', async () => {
    const topic = `test.outbox.${randomUUID()}`;
    await ensureTopics(kafka, [{ topic, numPartitions: 2, retentionMs: 3_600_000 }]);
    await expect(topicDrift(kafka, [{ topic, numPartitions: 2, retentionMs: 3_600_000 }])).resolves.toEqual([]);
    await expect(topicDrift(kafka, [{ topic, numPartitions: 2 }])).resolves.toEqual([]);
    await expect(topicDrift(kafka, [{ topic, numPartitions: 6, retentionMs: 86_400_000 }])).resolves.toEqual([
      `topic ${topic} has 2 partitions, configured 6; left as is`,
      `topic ${topic} has retention.ms=3600000, configured 86400000; left as is`,
    ]);
    expect(await describeTopic(kafka, topic)).toEqual({ partitions: 2, retentionMs: '3600000' });
  });

  it('provisions topics idempotently', async () => {
    const topic = `test.outbox.${randomUUID()}`;
    const spec = [{ topic, numPartitions: 4, retentionMs: 3_600_000 }];
    await expect(Promise.all([ensureTopics(kafka, spec), ensureTopics(kafka, spec)])).resolves.toBeDefined();
    await expect(ensureTopics(kafka, spec)).resolves.toEqual([]);
    const config = await describeTopic(kafka, topic);
    expect(config).toEqual({ partitions: 4, retentionMs: '3600000' });
  });
});

async function listTopics(kafka: Kafka): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

async function describeTopic(kafka: Kafka, topic: string): Promise<{ partitions: number; retentionMs?: string }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ['retention.ms'] }],
    });
    return {
      partitions: topics[0].partitions.length,
      retentionMs: resources[0].configEntries.find((e) => e.configName === 'retention.ms')?.configValue,
    };
  } finally {
    await admin.disconnect();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  describe: () => string = () => 'condition not met',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(50);
  }
}
