import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKafkaClient, OUTBOX_RELAY_LOCK_ID } from '@platform/events';
import { freePort, workspaceRoot } from '@platform/local-infra';
import {
  type BuiltService,
  createTestDatabase,
  fetchJson,
  migrateBuiltService,
  readTopicsFromStart,
  startBuiltService,
  testKafkaBrokers,
  TestTokenIssuer,
  type TestDatabase,
} from '@platform/testing';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';

const ENTRY = 'dist/apps/identity-backend/src/main.js';

/**
 * The built identity backend as its own process, SIGKILLed after answering 2xx for a
 * committed user change whose event it had not published; the event is published after
 * a restart. Two ways of "not yet published": the relay could not reach the broker, and
 * the relay had not got to it yet (another holder of the relay lock kept it waiting).
 */
describe('identity backend killed after commit, before publish', () => {
  let db: TestDatabase;
  let issuer: TestTokenIssuer;
  let pg: Client;
  let consumer: Consumer | undefined;
  let service: BuiltService | undefined;
  let port: number;
  let baseUrl: string;
  const env = (brokers: string) => ({
    LOG_LEVEL: 'error',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers,
    AUTHORIZATION_SERVER_URL: issuer.issuer,
    JWKS_URL: issuer.jwksUri,
    BCRYPT_COST: '4',
  });

  beforeAll(async () => {
    if (!existsSync(join(workspaceRoot(), ENTRY))) throw new Error(`${ENTRY} missing: run "npm run build" first`);
    db = await createTestDatabase('identity_crash');
    issuer = await TestTokenIssuer.start();
    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await migrateBuiltService(ENTRY, env(''));
  });

  afterAll(async () => {
    if (service && service.process.signalCode === null) await service.stop();
    await consumer?.disconnect();
    await pg?.end();
    await issuer?.stop();
    await db?.drop();
  });

  async function serve(brokers: string): Promise<void> {
    service = await startBuiltService(ENTRY, env(brokers), port, { migrated: true });
  }

  async function kill(): Promise<void> {
    const exited = new Promise((resolve) => service!.process.once('exit', resolve));
    service!.process.kill('SIGKILL');
    expect(await exited).toBe(null); // exit code null: ended by the signal, no shutdown hooks ran
  }

  async function createUser(email: string): Promise<string> {
    const token = await issuer.mint({
      sub: 'operator',
      client_id: 'admin-cli',
      aud: 'urn:identity-platform:identity-api',
      permissions: ['platform:admin', 'tenants:write', 'users:write'],
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const slug = `crash-${randomUUID().slice(0, 8)}`;
    const tenant = await fetchJson(`${baseUrl}/api/v1/tenants`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ slug, displayName: slug }),
    });
    expect(tenant.status).toBe(201);
    const user = await fetchJson(`${baseUrl}/api/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, tenantId: tenant.body.id }),
    });
    expect(user.status).toBe(201);
    return user.body.id;
  }

  const unsentCreatedEvent = async (userId: string) =>
    (
      await pg.query(
        `SELECT count(*)::int AS n FROM outbox_messages
          WHERE message_key = $1 AND payload->>'type' = 'identity.user.created.v1' AND sent_at IS NULL`,
        [userId],
      )
    ).rows[0].n as number;

  it('publishes the committed events after a restart', async () => {
    // 1. The brokers are unreachable: the API answers, the event waits in the outbox.
    await serve('127.0.0.1:1');
    const first = await createUser('first@crash.example');
    expect(await unsentCreatedEvent(first)).toBe(1);
    await kill();

    // 2. The broker is reachable, but the relay has not published yet when the process dies.
    const lockHolder = new Client({ connectionString: db.url });
    await lockHolder.connect();
    await lockHolder.query('BEGIN');
    await lockHolder.query('SELECT pg_advisory_xact_lock($1)', [OUTBOX_RELAY_LOCK_ID]);
    await serve(testKafkaBrokers().join(','));
    const second = await createUser('second@crash.example');
    expect(await unsentCreatedEvent(second)).toBe(1);
    await kill();
    expect(await unsentCreatedEvent(first)).toBe(1);
    expect(await unsentCreatedEvent(second)).toBe(1);
    await lockHolder.query('COMMIT');
    await lockHolder.end();

    // 3. Restarted: both events reach the topic, and their rows are marked sent.
    await serve(testKafkaBrokers().join(','));
    const kafka = createKafkaClient({ clientId: 'crash-test', brokers: testKafkaBrokers() });
    const created = new Set<string>();
    consumer = await readTopicsFromStart(
      kafka,
      'crash',
      ['identity.user.v1'],
      (message) => {
        const event = JSON.parse(String(message.value));
        if (event.type === 'identity.user.created.v1' && String(message.key) === event.subject) {
          created.add(event.subject);
        }
      },
      { maxWaitTimeInMs: 100 },
    );
    const deadline = Date.now() + 20_000;
    while (!(created.has(first) && created.has(second))) {
      if (Date.now() > deadline) throw new Error(`events not received: ${JSON.stringify([...created])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await unsentCreatedEvent(first)).toBe(0);
    expect(await unsentCreatedEvent(second)).toBe(0);
  });
});
