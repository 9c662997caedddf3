import { randomUUID } from 'node:crypto';
import { eventually } from '@platform/testing';
import { startUserEventsConsumer, type UserEventsConsumerUnderTest } from './authz-harness';

/** The authorization server consuming real identity events from the real broker. */
describe('user lifecycle events end access', () => {
  let authz: UserEventsConsumerUnderTest;

  beforeAll(async () => {
    authz = await startUserEventsConsumer('lifecycle', 6);
  });

  afterAll(() => authz?.stop());

  const seedAccess = async (userId: string) => {
    for (const model of ['Session', 'Grant', 'RefreshToken']) {
      await authz.pg.query('INSERT INTO oidc_model_instances (model, id, payload) VALUES ($1, $2, $3)', [
        model,
        randomUUID(),
        { accountId: userId, kind: model },
      ]);
    }
  };
  const accessOf = async (userId: string) =>
    (
      await authz.pg.query(`SELECT count(*)::int AS n FROM oidc_model_instances WHERE payload->>'accountId' = $1`, [
        userId,
      ])
    ).rows[0].n as number;

  it("deletes the sessions, grants and tokens of a disabled user within 5 s, and nobody else's", async () => {
    const [victim, bystander] = [randomUUID(), randomUUID()];
    await seedAccess(victim);
    await seedAccess(bystander);
    await authz.publish(authz.userEvent('identity.user.disabled.v1', victim), victim);
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
      await authz.pg.query(`SELECT id FROM oidc_model_instances WHERE model = 'Grant' AND payload->>'accountId' = $1`, [
        userId,
      ])
    ).rows;
    const changed = authz.userEvent('identity.user.password_changed.v1', userId);
    await new Promise((r) => setTimeout(r, 5)); // the sign-in that follows the change
    await seedAccess(userId);
    // A refresh token rotated after the change from the older grant still belongs to that grant.
    await authz.pg.query('INSERT INTO oidc_model_instances (model, id, payload, grant_id) VALUES ($1, $2, $3, $4)', [
      'RefreshToken',
      randomUUID(),
      { accountId: userId, kind: 'RefreshToken' },
      oldGrant.id,
    ]);
    await authz.publish(changed, userId);
    await eventually(async () => (await accessOf(userId)) === 3, {
      timeoutMs: 5_000,
      failure: async () => `access left: ${await accessOf(userId)} (expected the 3 rows of the later sign-in)`,
    });
  });

  it('applies a redelivered event once', async () => {
    const userId = randomUUID();
    await seedAccess(userId);
    // The change happens after the access it ends (the consumer keeps what was created after it).
    const passwordChanged = authz.userEvent('identity.user.password_changed.v1', userId);
    await authz.publish(passwordChanged, userId);
    await eventually(async () => (await accessOf(userId)) === 0, {
      timeoutMs: 5_000,
      failure: 'first delivery applied',
    });
    // A new session after the change must survive a duplicate of the old event.
    await seedAccess(userId);
    await authz.publish(passwordChanged, userId);
    const marker = randomUUID();
    await seedAccess(marker);
    await authz.publish(authz.userEvent('identity.user.locked.v1', marker), userId); // same key: ordered after the duplicate
    await eventually(async () => (await accessOf(marker)) === 0, {
      timeoutMs: 5_000,
      failure: 'later event on the same key applied',
    });
    expect(await accessOf(userId)).toBe(3);
  });

  it('parks a poison message on the dead-letter topic without blocking the events behind it', async () => {
    const dlq = authz.kafka.consumer({ groupId: `dlq-${randomUUID()}` });
    await dlq.connect();
    await dlq.subscribe({ topic: `${authz.topic}.dlq`, fromBeginning: true });
    const parked: string[] = [];
    await dlq.run({ eachMessage: async ({ message }) => void parked.push(String(message.value)) });
    try {
      const userId = randomUUID();
      await seedAccess(userId);
      await authz.publish('{"this is": "not a cloud event"', userId);
      await authz.publish(authz.userEvent('identity.user.deleted.v1', userId), userId);
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
