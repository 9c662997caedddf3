import { randomUUID } from 'node:crypto';
import { createKafkaClient, ensureTopics, toCloudEvent } from '@platform/events';
import { freePort } from '@platform/local-infra';
import { createTestDatabase, fetchJson, startService, suiteFixture, testKafkaBrokers } from '@platform/testing';
import { Client } from 'pg';
import { authorizationServer } from '../src/authorization-server';

export const IDENTITY_API = 'urn:identity-platform:identity-api';
export const AUTHZ_API = 'urn:identity-platform:authorization-api';

/** A running authorization server on a fresh database, with a known admin-cli secret and its real issuer URL. */
export async function startAuthorizationServer(
  prefix: string,
  adminCliSecret: string,
  env: Record<string, string> = {},
) {
  const db = await createTestDatabase(prefix);
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const service = await startService(
    authorizationServer,
    { DATABASE_URL: db.url, ISSUER: issuer, BOOTSTRAP_ADMIN_CLI_SECRET: adminCliSecret, ...env },
    { port },
  );

  /** A form POST with HTTP Basic client authentication, as an OAuth client sends it. */
  const postForm = (clientId: string, secret: string, path: string, body: Record<string, string>) =>
    fetchJson(`${issuer}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });

  /** A client-credentials access token, or an error naming the failure. */
  const clientToken = async (clientId: string, secret: string, scope: string, resource: string): Promise<string> => {
    const res = await postForm(clientId, secret, '/token', { grant_type: 'client_credentials', scope, resource });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  };

  return {
    issuer,
    db,
    service,
    postForm,
    clientToken,
    /** admin-cli's token; for the management API as the platform operator (platform.admin), as platform-wide routes need. */
    adminToken: (scope: string, resource = AUTHZ_API) =>
      clientToken('admin-cli', adminCliSecret, resource === AUTHZ_API ? `platform.admin ${scope}` : scope, resource),
    async stop() {
      await service.close();
      await db.drop();
    },
  };
}

export type AuthorizationServerUnderTest = Awaited<ReturnType<typeof startAuthorizationServer>>;

/** The suite's authorization server (startAuthorizationServer's), started before its tests and stopped after them. */
export const useAuthorizationServer = (...args: Parameters<typeof startAuthorizationServer>) =>
  suiteFixture(
    () => startAuthorizationServer(...args),
    (authz) => authz.stop(),
  );

/**
 * A running authorization server consuming identity user events from a topic of its own on the real
 * broker (a poison message must not reach other suites' consumers), with a producer on that topic and
 * a Postgres client of the server's database. `name` names the Kafka client, topic, group and database.
 */
export async function startUserEventsConsumer(name: string, partitions: number) {
  const kafka = createKafkaClient({ clientId: `${name}-test`, brokers: testKafkaBrokers() });
  const topic = `identity.user.v1.${name}-${randomUUID()}`;
  const group = `${name}-${randomUUID()}`;
  const opened: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    while (opened.length > 0) await opened.pop()!();
  };
  try {
    await ensureTopics(kafka, [
      { topic, numPartitions: partitions },
      { topic: `${topic}.dlq`, numPartitions: 1 },
    ]);
    const db = await createTestDatabase(`authz_${name}`);
    opened.push(() => db.drop());
    const port = await freePort();
    const service = await startService(
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
    opened.push(() => service.close());
    const producer = kafka.producer();
    await producer.connect();
    opened.push(() => producer.disconnect());
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    opened.push(() => pg.end());
    return {
      kafka,
      topic,
      group,
      service,
      pg,
      publish: (value: string, key: string) => producer.send({ topic, messages: [{ key, value }] }),
      /** The identity backend's event `type` (identity.user.*.v1) about this user, as it is published. */
      userEvent: (type: string, userId: string) =>
        JSON.stringify(
          toCloudEvent(
            { type, topic: 'identity.user.v1', aggregateId: userId, tenantId: randomUUID(), data: { userId } },
            '/identity-backend',
          ),
        ),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type UserEventsConsumerUnderTest = Awaited<ReturnType<typeof startUserEventsConsumer>>;
