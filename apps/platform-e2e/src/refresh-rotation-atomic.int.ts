import { Client } from 'pg';
import { oauthCalls } from './support/oauth-calls';
import { type Platform, startPlatform } from './support/platform';
import { type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';

const PASSWORD = 'rotation lands whole or not at all 7';
const RULE = 'RFC 9700 §4.14.2 / issue 18: a refresh rotation commits whole or not at all (never half-rotated)';

/**
 * A refresh-token rotation is a consume of the old token and inserts of its successors. A failure
 * between the two (here: the database refusing the successor's insert, injected with a trigger
 * in the real database of the built service) must leave the family usable: the old token
 * unconsumed, so the client's retry succeeds. Were the consume committed on its own, the retry
 * would be a replay (no reuse leeway here) and revoke the user's grant.
 */
describe('refresh rotation in one transaction', () => {
  let platform: Platform;
  let calls: ReturnType<typeof oauthCalls>;
  let app: RelyingParty;
  let db: Client;
  const credentials = { login: 'rosa@rotation.example', password: PASSWORD };

  beforeAll(async () => {
    platform = await startPlatform('refresh_atomic', { authz: { REFRESH_TOKEN_REUSE_LEEWAY_SECONDS: '0' } });
    calls = oauthCalls(platform);
    const tenantId = (await platform.createTenant('rotation')).id;
    await platform.createUser(tenantId, credentials.login, PASSWORD);
    app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    db = new Client({ connectionString: platform.authzDb.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
  });

  const refresh = (refreshToken: string) =>
    calls.token(app, { grant_type: 'refresh_token', refresh_token: refreshToken });

  async function failRefreshTokenInserts(on: boolean): Promise<void> {
    if (!on) {
      await db.query('DROP TRIGGER IF EXISTS e2e_fail_refresh_insert ON oidc_model_instances');
      return;
    }
    await db.query(`CREATE OR REPLACE FUNCTION e2e_fail_refresh_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure between consume and insert'; END $$`);
    await db.query(`CREATE TRIGGER e2e_fail_refresh_insert BEFORE INSERT ON oidc_model_instances
      FOR EACH ROW WHEN (NEW.model = 'RefreshToken') EXECUTE FUNCTION e2e_fail_refresh_insert()`);
  }

  const consumedAt = async (token: string) =>
    (await db.query(`SELECT consumed_at FROM oidc_model_instances WHERE model = 'RefreshToken' AND id = $1`, [token]))
      .rows[0]?.consumed_at ?? null;

  it('a failure between the consume and the insert of the successor leaves the old refresh token usable', async () => {
    const issued = await calls.code(app, credentials);
    const tokens = await calls.redeem(app, issued);
    expect(tokens.status).toBe(200);
    const token = tokens.body.refresh_token as string;

    await failRefreshTokenInserts(true);
    let failed;
    try {
      failed = await refresh(token);
    } finally {
      await failRefreshTokenInserts(false);
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expectRule(`${RULE}: the old token is not left consumed`, await consumedAt(token)).toBeNull();

    const retry = await refresh(token);
    expectRule(`${RULE}: the client's retry succeeds`, [retry.status, retry.body.error]).toEqual([200, undefined]);
    const next = await refresh(retry.body.refresh_token);
    expectRule(`${RULE}: and its successor rotates on`, next.status).toBe(200);
    expectRule(`${RULE}: the user stays signed in`, await calls.userinfoStatus(next.body.access_token)).toBe(200);
  });

  it('a replayed refresh token still revokes the family (the revocation commits with the 400)', async () => {
    const tokens = await calls.redeem(app, await calls.code(app, credentials));
    const token = tokens.body.refresh_token as string;
    const rotated = await refresh(token);
    expect(rotated.status).toBe(200);
    const replay = await refresh(token);
    expectRule('RFC 9700 §4.14.2: reuse detected', replay.body.error).toBe('invalid_grant');
    const successor = await refresh(rotated.body.refresh_token);
    expectRule('RFC 9700 §4.14.2: reuse revokes the successor too', successor.body.error).toBe('invalid_grant');
  });
});
