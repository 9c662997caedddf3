import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createKafkaClient, OUTBOX_RELAY_LOCK_ID } from '@platform/events';
import { freePort } from '@platform/local-infra';
import { createTestDatabase, fetchJson, testKafkaBrokers, TestTokenIssuer, type TestDatabase } from '@platform/testing';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';

const ENTRY = join(__dirname, '../../../dist/apps/identity-backend/src/main.js');

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
  let child: ChildProcess | undefined;
  let baseUrl: string;
  const env = (brokers: string) => ({
    PATH: process.env.PATH!,
    LOG_LEVEL: 'error',
    HOST: '127.0.0.1',
    PORT: new URL(baseUrl).port,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: brokers,
    AUTHORIZATION_SERVER_URL: issuer.issuer,
    JWKS_URL: issuer.jwksUri,
    BCRYPT_COST: '4',
  });

  beforeAll(async () => {
    if (!existsSync(ENTRY)) throw new Error(`${ENTRY} missing: run "npm run build" first`);
    db = await createTestDatabase('identity_crash');
    issuer = await TestTokenIssuer.start();
    baseUrl = `http://127.0.0.1:${await freePort()}`;
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    await run(['migrate'], env(''));
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => (child!.once('exit', () => resolve()), child!.kill('SIGTERM')));
    }
    await consumer?.disconnect();
    await pg?.end();
    await issuer?.stop();
    await db?.drop();
  });

  function run(args: string[], childEnv: Record<string, string>): Promise<void> {
    return new Promise((resolve, reject) =>
      spawn(process.execPath, [ENTRY, ...args], { env: childEnv, stdio: 'inherit' }).once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited with ${code}`)),
      ),
    );
  }

  async function serve(brokers: string): Promise<void> {
    child = spawn(process.execPath, [ENTRY, 'serve'], { env: env(brokers), stdio: 'inherit' });
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      if ((await fetch(`${baseUrl}/health/live`).catch(() => null))?.ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the identity backend did not come up');
  }

  async function kill(): Promise<void> {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
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
    consumer = kafka.consumer({ groupId: `crash-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'identity.user.v1', fromBeginning: true });
    const created = new Set<string>();
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(String(message.value));
        if (event.type === 'identity.user.created.v1' && String(message.key) === event.subject) {
          created.add(event.subject);
        }
      },
    });
    const deadline = Date.now() + 20_000;
    while (!(created.has(first) && created.has(second))) {
      if (Date.now() > deadline) throw new Error(`events not received: ${JSON.stringify([...created])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await unsentCreatedEvent(first)).toBe(0);
    expect(await unsentCreatedEvent(second)).toBe(0);
  });
});
