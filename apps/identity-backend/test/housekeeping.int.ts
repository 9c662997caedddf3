import { IdentityHousekeeping } from '../src/housekeeping';
import { useIdentityApi } from './identity-api.harness';

describe('identity backend housekeeping', () => {
  const api = useIdentityApi('identity_housekeeping', { OUTBOX_RETENTION_HOURS: '1' });

  it('prunes old published outbox rows, stale throttling counters and dead email links, keeping the rest', async () => {
    const payload = JSON.stringify({ id: 'x' });
    await api.sql(
      `INSERT INTO outbox_messages (event_id, topic, message_key, payload, headers, sent_at) VALUES
         (gen_random_uuid(), 't', 'old-sent', $1, '{}', now() - interval '2 hours'),
         (gen_random_uuid(), 't', 'recent-sent', $1, '{}', now()),
         (gen_random_uuid(), 't', 'unsent', $1, '{}', NULL)`,
      [payload],
    );
    await api.sql(
      `INSERT INTO rate_limit_counters (name, key, window_start, hits, expires_at) VALUES
         ('login_failures_ip', 't|192.0.2.1', now() - interval '1 day', 3, now() - interval '1 hour'),
         ('login_failures_ip', 't|192.0.2.2', now(), 1, now() + interval '10 minutes')`,
    );
    await api.app.get(IdentityHousekeeping).runOnce();
    const keys = (await api.sql(`SELECT message_key FROM outbox_messages WHERE topic = 't' ORDER BY message_key`)).map(
      (r) => r.message_key,
    );
    expect(keys).toEqual(['recent-sent', 'unsent']);
    const counters = (await api.sql('SELECT key FROM rate_limit_counters ORDER BY key')).map((r) => r.key);
    expect(counters).toEqual(['t|192.0.2.2']);
  });
});
