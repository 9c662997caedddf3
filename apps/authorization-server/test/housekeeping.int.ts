import { Client } from 'pg';
import { AuthorizationServerHousekeeping } from '../src/housekeeping';
import { useAuthorizationServer } from './authz-harness';

describe('authorization server housekeeping', () => {
  const authz = useAuthorizationServer('authz_housekeeping', 'housekeeping-admin-cli-secret-0123456789abcdef');

  it('removes expired provider artefacts and keeps live ones', async () => {
    const pg = new Client({ connectionString: authz.db.url });
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO oidc_model_instances (model, id, payload, expires_at) VALUES
           ('Session', 'expired', '{}', now() - interval '1 minute'),
           ('Session', 'live', '{}', now() + interval '1 hour')`,
      );
      await authz.service.app.get(AuthorizationServerHousekeeping).runOnce();
      const { rows } = await pg.query(`SELECT id FROM oidc_model_instances WHERE model = 'Session' ORDER BY id`);
      expect(rows.map((r) => r.id)).toEqual(['live']);
    } finally {
      await pg.end();
    }
  });
});
