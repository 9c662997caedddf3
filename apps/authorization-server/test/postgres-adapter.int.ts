import { createTestDatabase, migratedDataSource, type TestDatabase } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { authzDataSourceOptions } from '../src/database/data-source';
import { oidcAdapterFactory, oidcRequestScope } from '../src/oidc/postgres-adapter';

/**
 * The oidc-provider adapter against a real Postgres, without HTTP or the provider: a provider
 * request is the request-scope middleware around the adapter calls the provider would make.
 */
describe('oidc-provider Postgres adapter (real Postgres)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let adapter: ReturnType<typeof oidcAdapterFactory>;

  beforeAll(async () => {
    db = await createTestDatabase('authz_adapter');
    dataSource = await migratedDataSource(authzDataSourceOptions({ DATABASE_URL: db.url, DATABASE_POOL_SIZE: 2 }));
    adapter = oidcAdapterFactory(dataSource, (model) => new Error(`${model} already consumed`));
    await dataSource.query(`CREATE TABLE insert_statements (at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    await dataSource.query(`CREATE FUNCTION count_insert_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO insert_statements DEFAULT VALUES; RETURN NULL; END $$`);
    await dataSource.query(`CREATE TRIGGER count_insert_statement AFTER INSERT ON oidc_model_instances
      FOR EACH STATEMENT EXECUTE FUNCTION count_insert_statement()`);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** A provider request: `work` runs inside the adapter's request scope; the answer's status decides the commit. */
  async function providerRequest(grantType: string, work: () => Promise<void>, status = 200) {
    const ctx = { status, body: {} as unknown, oidc: { route: 'token', params: { grant_type: grantType } } };
    await oidcRequestScope()(ctx, work);
    return ctx;
  }

  const stored = async (model: string, id: string) =>
    (
      await dataSource.query(`SELECT consumed_at FROM oidc_model_instances WHERE model = $1 AND id = $2`, [model, id])
    )[0];
  const insertStatements = async () =>
    Number((await dataSource.query(`SELECT count(*) FROM insert_statements`))[0].count);

  async function aRefreshToken(id: string) {
    await adapter('RefreshToken').upsert(id, { grantId: `grant-of-${id}`, accountId: 'user-1' }, 600);
  }

  it("writes a refresh rotation's successors together, with the consume, at the commit", async () => {
    await aRefreshToken('rt-1');
    const before = await insertStatements();
    await providerRequest('refresh_token', async () => {
      await adapter('RefreshToken').consume('rt-1');
      await adapter('AccessToken').upsert('at-2', { grantId: 'grant-of-rt-1' }, 60);
      await adapter('RefreshToken').upsert('rt-2', { grantId: 'grant-of-rt-1' }, 600);
      // Not written yet: another connection sees neither successor.
      expect(await stored('RefreshToken', 'rt-2')).toBeUndefined();
    });
    expect(await insertStatements()).toBe(before + 1);
    expect(await stored('AccessToken', 'at-2')).toBeDefined();
    expect(await stored('RefreshToken', 'rt-2')).toBeDefined();
    expect((await stored('RefreshToken', 'rt-1')).consumed_at).not.toBeNull();
  });

  it('lets the request read what it has written but not committed yet', async () => {
    let found: unknown;
    await providerRequest('refresh_token', async () => {
      await adapter('RefreshToken').upsert('rt-3', { grantId: 'g-3', accountId: 'user-3' }, 600);
      found = await adapter('RefreshToken').find('rt-3');
    });
    expect(found).toMatchObject({ grantId: 'g-3', accountId: 'user-3' });
  });

  it('keeps the old token unconsumed when writing a successor fails', async () => {
    await aRefreshToken('rt-4');
    await dataSource.query(`CREATE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await dataSource.query(`CREATE TRIGGER refuse_insert BEFORE INSERT ON oidc_model_instances
      FOR EACH ROW WHEN (NEW.id = 'rt-5') EXECUTE FUNCTION refuse_insert()`);
    try {
      // Refused either way: an error to the provider (which answers 500), or a 500 set at the commit.
      const outcome = await providerRequest('refresh_token', async () => {
        await adapter('RefreshToken').consume('rt-4');
        await adapter('RefreshToken').upsert('rt-5', { grantId: 'grant-of-rt-4' }, 600);
      }).then(
        (answer) => answer.status,
        () => 'thrown',
      );
      expect([500, 'thrown']).toContain(outcome);
    } finally {
      await dataSource.query(`DROP TRIGGER refuse_insert ON oidc_model_instances`);
    }
    expect((await stored('RefreshToken', 'rt-4')).consumed_at).toBeNull();
    expect(await stored('RefreshToken', 'rt-5')).toBeUndefined();
  });

  it('writes nothing of a request answered with a server error', async () => {
    await aRefreshToken('rt-6');
    await providerRequest(
      'refresh_token',
      async () => {
        await adapter('RefreshToken').consume('rt-6');
        await adapter('RefreshToken').upsert('rt-7', { grantId: 'grant-of-rt-6' }, 600);
      },
      503,
    );
    expect((await stored('RefreshToken', 'rt-6')).consumed_at).toBeNull();
    expect(await stored('RefreshToken', 'rt-7')).toBeUndefined();
  });

  it('writes at once outside a refresh (the other grants are not transactional)', async () => {
    await providerRequest('authorization_code', async () => {
      await adapter('AccessToken').upsert('at-8', { grantId: 'g-8' }, 60);
      expect(await stored('AccessToken', 'at-8')).toBeDefined();
    });
  });

  it('refuses a second consumption of a refresh token without a leeway', async () => {
    await aRefreshToken('rt-9');
    await adapter('RefreshToken').consume('rt-9');
    await expect(adapter('RefreshToken').consume('rt-9')).rejects.toThrow('RefreshToken already consumed');
  });
});
