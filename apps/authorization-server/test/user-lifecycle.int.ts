import { randomUUID } from 'node:crypto';
import { createKafkaClient, ensureTopics, toCloudEvent } from '@platform/events';
import { freePort } from '@platform/local-infra';
import {
  createTestDatabase,
  startService,
  testKafkaBrokers,
  type RunningService,
  type TestDatabase,
  eventually,
} from '@platform/testing';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import { authorizationServer } from '../src/authorization-server';

/** The authorization server consuming real identity events from the real broker. */
describe('user lifecycle events end access', () => {
  let db: TestDatabase;
  let service: RunningService;
  let producer: Producer;
  let pg: Client;
  const kafka = createKafkaClient({ clientId: 'lifecycle-test', brokers: testKafkaBrokers() });
  // A topic of its own: the poison message must not reach other suites' consumers.
  const topic = `identity.user.v1.lifecycle-${randomUUID()}`;

  beforeAll(async () => {
    await ensureTopics(kafka, [
      { topic, numPartitions: 6 },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ]);
    db = await createTestDatabase('authz_lifecycle');
    const port = await freePort();
    service = await startService(
      authorizationServer,
      {
        DATABASE_URL: db.url,
        ISSUER: `http://127.0.0.1:${port}`,
        KAFKA_BROKERS: testKafkaBrokers().join(','),
        USER_EVENTS_CONSUMER_GROUP: `lifecycle-${randomUUID()}`,
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
    await producer?.disconnect();
    await pg?.end();
    await service?.close();
    await db?.drop();
  });

  const seedAccess = async (userId: string) => {
    for (const model of ['Session', 'Grant', 'RefreshToken']) {
      await pg.query('INSERT INTO oidc_model_instances (model, id, payload) VALUES ($1, $2, $3)', [
        model,
        randomUUID(),
        { accountId: userId, kind: model },
      ]);
    }
  };
  const accessOf = async (userId: string) =>
    (await pg.query(`SELECT count(*)::int AS n FROM oidc_model_instances WHERE payload->>'accountId' = $1`, [userId]))
      .rows[0].n as number;
  const publish = (value: string, key: string) => producer.send({ topic, messages: [{ key, value }] });
  const event = (type: string, userId: string) =>
    toCloudEvent(
      { type, topic: 'identity.user.v1', aggregateId: userId, tenantId: randomUUID(), data: { userId } },
      '/identity-backend',
    );

  it("deletes the sessions, grants and tokens of a disabled user within 5 s, and nobody else's", async () => {
    const [victim, bystander] = [randomUUID(), randomUUID()];
    await seedAccess(victim);
    await seedAccess(bystander);
    await publish(JSON.stringify(event('identity.user.disabled.v1', victim)), victim);
    await eventually(async () => (await accessOf(victim)) === 0, {
      timeoutMs: 5_000,
      failure: 'access of the disabled user ended',
    });
    expect(await accessOf(bystander)).toBe(3);
  });

  it('keeps what a sign-in created after the change (a temporary password changed at sign-in), not older grants', async () => {
    const userId = randomUUID();
    await seedAccess(userId);
    const [oldGrant] = (
      await pg.query(`SELECT id FROM oidc_model_instances WHERE model = 'Grant' AND payload->>'accountId' = $1`, [
        userId,
      ])
    ).rows;
    const changed = JSON.stringify(event('identity.user.password_changed.v1', userId));
    await new Promise((r) => setTimeout(r, 5)); // the sign-in that follows the change
    await seedAccess(userId);
    // A refresh token rotated after the change from the older grant still belongs to that grant.
    await pg.query('INSERT INTO oidc_model_instances (model, id, payload, grant_id) VALUES ($1, $2, $3, $4)', [
      'RefreshToken',
      randomUUID(),
      { accountId: userId, kind: 'RefreshToken' },
      oldGrant.id,
    ]);
    await publish(changed, userId);
    await eventually(async () => (await accessOf(userId)) === 3, {
      timeoutMs: 5_000,
      failure: async () => `access left: ${await accessOf(userId)} (expected the 3 rows of the later sign-in)`,
    });
  });

  it('applies a redelivered event once', async () => {
    const userId = randomUUID();
    await seedAccess(userId);
    // The change happens after the access it ends (the consumer keeps what was created after it).
    const passwordChanged = JSON.stringify(event('identity.user.password_changed.v1', userId));
    await publish(passwordChanged, userId);
    await eventually(async () => (await accessOf(userId)) === 0, {
      timeoutMs: 5_000,
      failure: 'first delivery applied',
    });
    // A new session after the change must survive a duplicate of the old event.
    await seedAccess(userId);
    await publish(passwordChanged, userId);
    const marker = randomUUID();
    await seedAccess(marker);
    await publish(JSON.stringify(event('identity.user.locked.v1', marker)), userId); // same key: ordered after the duplicate
    await eventually(async () => (await accessOf(marker)) === 0, {
      timeoutMs: 5_000,
      failure: 'later event on the same key applied',
    });
    expect(await accessOf(userId)).toBe(3);
  });

  it('parks a poison message on the dead-letter topic without blocking the events behind it', async () => {
    const dlq = kafka.consumer({ groupId: `dlq-${randomUUID()}` });
    await dlq.connect();
    await dlq.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
    const parked: string[] = [];
    await dlq.run({ eachMessage: async ({ message }) => void parked.push(String(message.value)) });
    try {
      const userId = randomUUID();
      await seedAccess(userId);
      await publish('{"this is": "not a cloud event"', userId);
      await publish(JSON.stringify(event('identity.user.deleted.v1', userId)), userId);
      await eventually(async () => (await accessOf(userId)) === 0, {
        timeoutMs: 5_000,
        failure: 'event behind the poison message applied',
      });
      await eventually(async () => parked.includes('{"this is": "not a cloud event"'), {
        timeoutMs: 10_000,
        failure: 'poison message dead-lettered',
      });
    } finally {
      await dlq.disconnect();
    }
  });
});
