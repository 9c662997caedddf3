import {
  Browser,
  createKafkaClient,
  ensureTopics,
  eventually,
  fetchJson,
  formValue,
  readTopicsFromStart,
  testKafkaBrokers,
} from '@platform/testing';
import Ajv from 'ajv/dist/2020';
import type { Consumer } from 'kafkajs';
import { AUTHZ_API, IDENTITY_API, type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, relyingParty } from './support/relying-party';
import { pageAction, signIn } from './support/sign-in';

// The published contract of these events.
import { SECURITY_EVENT_SCHEMAS } from '@platform/contracts';

const PASSWORD = 'audit trails are forever';
const TOPIC = 'authz.security.v1';

interface SecurityEventMessage {
  key: string;
  type: string;
  tenantid: string;
  source: string;
  data: Record<string, unknown>;
}

/** Issue 5: the authorization server's own `authz.*` events, through its outbox, on Kafka. */
describe('authorization server security events', () => {
  let platform: Platform;
  let consumer: Consumer;
  const received: SecurityEventMessage[] = [];

  beforeAll(async () => {
    platform = await startPlatform('security_events');
    const kafka = createKafkaClient({ clientId: 'security-events-test', brokers: testKafkaBrokers() });
    await ensureTopics(kafka, [{ topic: TOPIC, numPartitions: 6 }]);
    consumer = await readTopicsFromStart(kafka, 'security-events', [TOPIC], (message) => {
      const event = JSON.parse(String(message.value));
      received.push({ key: String(message.key), ...event });
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await platform?.stop();
  });

  const eventMatching = (match: (e: SecurityEventMessage) => boolean) =>
    eventually(() => received.find(match), {
      timeoutMs: 15_000,
      failure: () => `no matching event among ${received.length}: ${JSON.stringify(received.map((e) => e.type))}`,
    });

  it('publishes client changes, key rotation, token issuance and sign-ins, each matching its schema', async () => {
    const tenantId = (await platform.createTenant('audited')).id;
    const user = await platform.createUser(tenantId, 'kim@audited.example', PASSWORD);
    const service = await platform.createClient({
      name: 'Audited job',
      type: 'service',
      scopes: ['identity.users.read'],
    });
    const rotated = await platform.authzAdmin('POST', `/api/v1/clients/${service.clientId}/secret`, {});
    expect(rotated.status).toBe(200);
    const token = await fetchJson(`${platform.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: platform.basic(service.clientId, rotated.body.clientSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'identity.users.read',
        resource: IDENTITY_API,
      }),
    });
    expect(token.status).toBe(200);
    const keys = await platform.adminToken('authz.keys.write', AUTHZ_API);
    const rotation = await fetchJson(`${platform.issuer}/api/v1/signing-keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys}` },
    });
    expect(rotation.status).toBe(200);

    const app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    // A failed sign-in, then a good one.
    const browser = new Browser();
    const page = await browser.follow((await authorizationRequest(app, 'openid')).url);
    const failed = await browser.post(new URL(pageAction(page)!, page.url).toString(), {
      login: 'kim@audited.example',
      password: 'not the right one',
      csrf: formValue(page.body, 'csrf')!,
    });
    expect(failed.status).toBe(401);
    await signIn(new Browser(), (await authorizationRequest(app, 'openid')).url, REDIRECT, {
      login: 'kim@audited.example',
      password: PASSWORD,
    });

    const events = [
      await eventMatching((e) => e.type === 'authz.client.created.v1' && e.data.clientId === service.clientId),
      await eventMatching((e) => e.type === 'authz.client.secret_rotated.v1' && e.data.clientId === service.clientId),
      await eventMatching((e) => e.type === 'authz.token.issued.v1' && e.data.clientId === service.clientId),
      await eventMatching(
        // One event per key family rotated.
        (e) => e.type === 'authz.signing_key.rotated.v1' && e.data.active === rotation.body.keys.ES256.active,
      ),
      await eventMatching((e) => e.type === 'authz.login.failed.v1' && e.data.clientId === app.clientId),
      await eventMatching((e) => e.type === 'authz.login.succeeded.v1' && e.data.userId === user.id),
    ];
    expect(events[2]!.data).toMatchObject({
      grantType: 'client_credentials',
      scope: 'identity.users.read',
      userId: null,
      count: 1,
    });
    expect(events[4]!.data).toMatchObject({ reason: 'invalid_credentials', userId: null });
    expect(events[5]).toMatchObject({ key: user.id, tenantid: tenantId, data: { method: 'password', amr: ['pwd'] } });

    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const event of events) {
      const validate = ajv.compile(SECURITY_EVENT_SCHEMAS[event.type as keyof typeof SECURITY_EVENT_SCHEMAS]);
      expect({ type: event.type, valid: validate(event.data), errors: validate.errors ?? null }).toEqual({
        type: event.type,
        valid: true,
        errors: null,
      });
      expect(event.source).toBe('/authorization-server');
    }
    // Nothing secret travels: no passwords, secrets or tokens anywhere in the payloads.
    const serialized = JSON.stringify(received);
    expect(serialized).not.toContain(PASSWORD);
    expect(serialized).not.toContain('not the right one');
    expect(serialized).not.toContain(rotated.body.clientSecret);
    expect(serialized).not.toContain(token.body.access_token);
  });
});
