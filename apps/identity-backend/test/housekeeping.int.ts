import { Client } from 'pg';
import { IdentityHousekeeping } from '../src/housekeeping';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

describe('identity backend housekeeping', () => {
  let api: IdentityApi;

  beforeAll(async () => {
    api = await startIdentityApi('identity_housekeeping', { OUTBOX_RETENTION_HOURS: '1' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('prunes old published outbox rows, stale throttling counters and dead email links, keeping the rest', async () => {
    const pg = new Client({ connectionString: api.db.url });
    await pg.connect();
    try {
      const payload = JSON.stringify({ id: 'x' });
      await pg.query(
        `INSERT INTO outbox_messages (event_id, topic, message_key, payload, headers, sent_at) VALUES
           (gen_random_uuid(), 't', 'old-sent', $1, '{}', now() - interval '2 hours'),
           (gen_random_uuid(), 't', 'recent-sent', $1, '{}', now()),
           (gen_random_uuid(), 't', 'unsent', $1, '{}', NULL)`,
        [payload],
      );
      await pg.query(
        `INSERT INTO ip_login_failures (ip, minute, failures) VALUES ('192.0.2.1', now() - interval '1 day', 3), ('192.0.2.2', now(), 1)`,
      );
      await api.app.get(IdentityHousekeeping).runOnce();
      const keys = (
        await pg.query(`SELECT message_key FROM outbox_messages WHERE topic = 't' ORDER BY message_key`)
      ).rows.map((r) => r.message_key);
      expect(keys).toEqual(['recent-sent', 'unsent']);
      const ips = (await pg.query('SELECT ip FROM ip_login_failures ORDER BY ip')).rows.map((r) => r.ip);
      expect(ips).toEqual(['192.0.2.2']);
    } finally {
      await pg.end();
    }
  });
});
