import { createKafkaClient, ensureTopics } from '@platform/events';
import { readTopicsFromStart, testKafkaBrokers, waitForMail } from '@platform/testing';
import Ajv from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Consumer } from 'kafkajs';
import { cloudEventSchema } from '../src/events/event-catalogue';
import type { IdentityEventType } from '../src/events/identity-events';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

const ajv = addFormats(new Ajv({ allErrors: true }));

interface ReceivedEvent {
  key: string;
  type: string;
  subject: string;
  tenantid: string;
  data: Record<string, unknown>;
  raw: Record<string, unknown>;
}

describe('seed 002 pattern 3: register, verify, update profile, assign roles — with events on Kafka', () => {
  let api: IdentityApi;
  let consumer: Consumer;
  const received: ReceivedEvent[] = [];

  beforeAll(async () => {
    api = await startIdentityApi('identity_pattern3');
    const kafka = createKafkaClient({ clientId: 'pattern3-test', brokers: testKafkaBrokers() });
    const topics = ['identity.user.v1', 'identity.tenant.v1', 'identity.role.v1'];
    // The service provisions these topics in the background; make sure they exist before subscribing.
    await ensureTopics(
      kafka,
      topics.map((topic) => ({ topic, numPartitions: 6 })),
    );
    consumer = await readTopicsFromStart(kafka, 'pattern3', topics, (message) => {
      let event;
      try {
        event = JSON.parse(String(message.value));
      } catch {
        return; // not ours to judge: other suites may publish anything to shared topics
      }
      received.push({
        key: String(message.key),
        type: event.type,
        subject: event.subject,
        tenantid: event.tenantid,
        data: event.data,
        raw: event,
      });
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await api?.stop();
  });

  async function eventsFor(subject: string, count: number, timeoutMs = 20_000): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const matching = received.filter((e) => e.subject === subject);
      if (matching.length >= count) return matching;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `only ${received.filter((e) => e.subject === subject).length} of ${count} events for ${subject} arrived`,
    );
  }

  it('runs the whole pattern and publishes each step, in order, keyed by the user id', async () => {
    const tenant = await api.createTenant('pattern-three');
    const admin = await api.tenantAdminToken(tenant.id);

    const registered = await api.call('POST', '/api/v1/registrations', undefined, {
      tenant: 'pattern-three',
      email: 'new.user@example.com',
      password: 'correct horse battery staple',
    });
    expect(registered.status).toBe(202);

    const found = await api.call('GET', '/api/v1/users?email=new.user%40', admin);
    expect(found.body.items).toHaveLength(1);
    const userId: string = found.body.items[0].id;

    // The verification link arrives through the real SMTP server.
    const mail = await waitForMail('new.user@example.com', /confirm your email/);
    const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    expect((await api.call('POST', '/api/v1/email-verifications/confirm', undefined, { token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/users/${userId}`, admin)).body.emailVerified).toBe(true);

    const profile = await api.call('PUT', `/api/v1/users/${userId}/profile`, admin, {
      given_name: 'New',
      family_name: 'User',
      locale: 'en-GB',
    });
    expect(profile.body.profile).toEqual({ given_name: 'New', family_name: 'User', locale: 'en-GB' });

    const role = await api.call('POST', '/api/v1/roles', admin, {
      name: 'editor',
      permissions: ['articles:write', 'articles:read'],
    });
    expect(role.status).toBe(201);
    const assigned = await api.call('POST', `/api/v1/users/${userId}/roles`, admin, { roleIds: [role.body.id] });
    expect(assigned.body.map((r: { name: string }) => r.name)).toEqual(['editor']);

    const permissions = await api.call('GET', `/api/v1/users/${userId}/permissions`, admin);
    expect(permissions.body.permissions).toEqual(['articles:read', 'articles:write']);

    const events = await eventsFor(userId, 4);
    expect(events.map((e) => e.type)).toEqual([
      'identity.user.created.v1',
      'identity.user.email_verified.v1',
      'identity.user.updated.v1',
      'identity.user.roles_changed.v1',
    ]);
    for (const event of events) {
      // Every event matches its published schema (docs/events/<type>.schema.json).
      const schema = cloudEventSchema(event.type as IdentityEventType);
      const validate = ajv.getSchema(schema.$id as string) ?? ajv.compile(schema);
      expect({ type: event.type, valid: validate(event.raw), errors: validate.errors ?? null }).toEqual({
        type: event.type,
        valid: true,
        errors: null,
      });
      expect(event.key).toBe(userId);
      expect(event.tenantid).toBe(tenant.id);
      expect(JSON.stringify(event.data)).not.toMatch(/horse|bcrypt|password_hash/);
    }
    expect(events[3].data).toMatchObject({ added: [role.body.id], removed: [] });
  });
});
