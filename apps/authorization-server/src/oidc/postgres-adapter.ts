import { AsyncLocalStorage } from 'node:async_hooks';
import { affectedRows } from '@platform/database';
import type { Adapter, AdapterFactory, Client, default as Provider } from 'oidc-provider';
import { Pool, type PoolClient, type PoolConfig, type QueryConfig, type QueryResult } from 'pg';
import { BoundedCache } from '@platform/runtime';
import type { DataSource } from 'typeorm';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };
type Row = { payload: Payload; consumed_at: Date | null };

/**
 * node-oidc-provider persistence on Postgres: every model (sessions, grants, codes,
 * tokens, ...) in one table keyed by (model, id) with a JSONB payload. Expired rows
 * are invisible here and removed by the cleanup job.
 *
 * On the hot path (every token request and introspection) the adapter talks to pg directly,
 * with named prepared statements, rather than through TypeORM's query runner, and within a
 * provider request (oidcRequestScope):
 * - one query finds a token whichever model it is: the provider looks an introspected token up
 *   as AccessToken, ClientCredentials and RefreshToken (RFC 7662 token_type_hint only changes
 *   the order), and then its Grant; the first look-up fetches all of them, the others are
 *   answered from it;
 * - a refresh_token grant's writes (consume of the old token, inserts of its successors, a
 *   grant revocation) commit together or not at all: a failure between the consume and the
 *   inserts leaves the old token as it was, never a half-rotated family. Its inserts wait until
 *   the request's next other statement or its commit and go as one multi-row statement.
 */
export function oidcAdapterFactory(
  dataSource: DataSource,
  alreadyConsumed: (model: string) => Error,
  {
    refreshTokenReuseLeewaySeconds = 0,
    registrations,
  }: { refreshTokenReuseLeewaySeconds?: number; registrations?: ClientRegistrationStore } = {},
): AdapterFactory {
  const sql = adapterSql(dataSource);
  const ModelAdapter = modelAdapterClass(sql, alreadyConsumed, refreshTokenReuseLeewaySeconds);
  // Clients live in their own table (managed by the admin API, secrets hashed).
  return (model: string) =>
    model === 'Client' ? new ClientAdapter(dataSource, registrations) : new ModelAdapter(model);
}

// --- request scope ------------------------------------------------------------------------------

interface RequestScope {
  /** Rows this request has read, by `model:id`; cleared by any write of the request. */
  lookups: Map<string, Promise<Row | undefined>>;
  /** Whether this request's writes share one transaction (asked at its first write, when the params are parsed). */
  transactional: () => boolean;
  /** The transaction, begun at the first write of a transactional request. */
  transaction?: Promise<PoolClient>;
  /** Its statements, one after the other (the provider writes some in parallel; a pg client runs one at a time). */
  queue: Promise<unknown>;
  /** A transactional request's upserts not written yet, by `model:id` (the last one of a row wins), and their pool. */
  upserts: Map<string, UpsertValues>;
  pool?: Pool;
  closed: boolean;
}

const requestScopes = new AsyncLocalStorage<RequestScope>();

/** Grants whose writes must land together: the refresh token's rotation (RFC 9700 §4.14.2). */
const TRANSACTIONAL_GRANTS = new Set(['refresh_token']);

interface ProviderContext {
  status: number;
  body: unknown;
  oidc?: { route?: string; params?: Record<string, unknown> };
}

/**
 * Provider middleware (registered first, so it wraps every other one): the request scope of
 * the adapter. The transaction commits when the provider answered below 500 (an invalid_grant
 * for a replayed refresh token keeps its revocation) and rolls back otherwise.
 */
export function oidcRequestScope() {
  return async function adapterRequestScope(ctx: ProviderContext, next: () => Promise<void>): Promise<void> {
    const scope: RequestScope = {
      lookups: new Map(),
      transactional: () =>
        ctx.oidc?.route === 'token' && TRANSACTIONAL_GRANTS.has(String(ctx.oidc.params?.grant_type ?? '')),
      closed: false,
      queue: Promise.resolve(),
      upserts: new Map(),
    };
    await requestScopes.run(scope, async () => {
      try {
        await next();
      } catch (error) {
        await finish(scope, false).catch(() => undefined);
        throw error;
      }
      try {
        await finish(scope, ctx.status < 500);
      } catch {
        // The answer computed above names tokens that were never stored: it must not go out.
        ctx.status = 500;
        ctx.body = { error: 'server_error', error_description: 'oops! something went wrong' };
      }
    });
  };
}

async function finish(scope: RequestScope, commit: boolean): Promise<void> {
  scope.closed = true;
  const upserts = commit ? takeUpserts(scope) : (scope.upserts.clear(), undefined);
  if (!scope.transaction) {
    // One statement: atomic on its own.
    if (upserts) await scope.pool!.query(upserts);
    return;
  }
  await scope.queue;
  const client = await scope.transaction;
  try {
    if (upserts) await client.query(upserts);
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
    client.release();
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

const openScope = () => {
  const scope = requestScopes.getStore();
  return scope && !scope.closed ? scope : undefined;
};

// --- SQL ----------------------------------------------------------------------------------------

interface AdapterSql {
  /** A query of this request's transaction once it has one, else of the pool. */
  read(query: QueryConfig): Promise<QueryResult>;
  /** A write: into the request's transaction when the request is transactional. */
  write(query: QueryConfig): Promise<QueryResult>;
  /** An insert or update of a row: a transactional request's wait for its next other statement or its commit. */
  upsert(values: UpsertValues): Promise<void>;
}

/** model, id, payload, grant_id, uid, user_code, expires in (seconds or null). */
type UpsertValues = [string, string, Payload, string | null, string | null, string | null, number | null];

/** One INSERT … ON CONFLICT of these rows (distinct `model:id`s). */
function upsertStatement(rows: UpsertValues[]): QueryConfig {
  const tuples = rows.map((_, row) => {
    const $ = (column: number) => `$${row * 7 + column}`;
    return `(${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, CASE WHEN ${$(7)}::int IS NULL THEN NULL ELSE now() + make_interval(secs => ${$(7)}::int) END)`;
  });
  return {
    name: `oidc-upsert-${rows.length}`,
    text: `INSERT INTO oidc_model_instances (model, id, payload, grant_id, uid, user_code, expires_at)
      VALUES ${tuples.join(', ')}
      ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
        uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
    values: rows.flat(),
  };
}

/** The scope's waiting upserts as one statement (and none waiting any more). */
function takeUpserts(scope: RequestScope): QueryConfig | undefined {
  if (scope.upserts.size === 0) return undefined;
  const statement = upsertStatement([...scope.upserts.values()]);
  scope.upserts.clear();
  return statement;
}

const pools = new WeakMap<DataSource, Pool>();

/**
 * The adapter's own pool, configured like TypeORM's: a transaction held by a token request
 * never waits for a connection that other requests' TypeORM queries hold, and vice versa.
 */
function adapterPool(dataSource: DataSource): Pool {
  let pool = pools.get(dataSource);
  if (!pool) {
    const options = dataSource.options as { url?: string; ssl?: PoolConfig['ssl']; extra?: Record<string, unknown> };
    pool = new Pool({
      connectionString: options.url,
      ...(options.ssl ? { ssl: options.ssl } : {}),
      max: 10,
      connectionTimeoutMillis: 5_000,
      ...options.extra,
      allowExitOnIdle: true,
      application_name: 'oidc-adapter',
    });
    // An idle connection dropped by the server is replaced on the next query; no crash.
    pool.on('error', () => undefined);
    pools.set(dataSource, pool);
  }
  return pool;
}

function adapterSql(dataSource: DataSource): AdapterSql {
  const pool = adapterPool(dataSource);
  const transactionOf = (scope: RequestScope) =>
    (scope.transaction ??= pool.connect().then(async (client) => {
      try {
        await client.query('BEGIN');
        return client;
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
    }));
  const queued = (scope: RequestScope, query: QueryConfig) => {
    const run = scope.queue.then(async () => (await transactionOf(scope)).query(query));
    scope.queue = run.catch(() => undefined);
    return run;
  };
  /** Whether the request's writes go into its transaction (begun already, or due at its first write). */
  const inTransactionOf = (scope: RequestScope) => scope.transaction !== undefined || scope.transactional();
  // Upserts still waiting go first: the statement may read or change their rows. (Should they
  // fail, the transaction is aborted and so is this statement.)
  const inTransaction = (scope: RequestScope, query: QueryConfig) => {
    const upserts = takeUpserts(scope);
    if (upserts) queued(scope, upserts).catch(() => undefined);
    return queued(scope, query);
  };
  return {
    read(query) {
      const scope = openScope();
      return scope?.transaction || scope?.upserts.size ? inTransaction(scope, query) : pool.query(query);
    },
    async write(query) {
      const scope = openScope();
      scope?.lookups.clear();
      return scope && inTransactionOf(scope) ? inTransaction(scope, query) : pool.query(query);
    },
    async upsert(values) {
      const scope = openScope();
      scope?.lookups.clear();
      if (!scope || !inTransactionOf(scope)) {
        await pool.query(upsertStatement([values]));
        return;
      }
      scope.pool = pool;
      scope.upserts.set(`${values[0]}:${values[1]}`, values);
    },
  };
}

// --- clients ------------------------------------------------------------------------------------

// Client look-ups sit on every token request; registrations change rarely. Every replica drops
// it when any replica announces a client change (cluster/cluster-config.ts); bounded, so requests
// naming random client ids cannot grow it.
const clientCache = new BoundedCache<Payload | undefined>({ max: 10_000, ttlMs: 30_000 });

/**
 * The provider's Client instances, by provider and client id, kept as long as the metadata above.
 * Without it every Client.find serializes and SHA-256-hashes the client's metadata to find the
 * instance the provider built for it (a few percent of a client-credentials request's CPU). An
 * instance can be built from metadata cached a while already: without a change announcement a
 * registration is stale for at most both TTLs.
 */
const clientInstances = new BoundedCache<{ owner: object; client: Client | undefined }>({
  max: 10_000,
  ttlMs: 30_000,
});

/** A replica changed a registration: nothing cached may outlive it. */
export function forgetCachedClients(): void {
  clientCache.clear();
  clientInstances.clear();
}

const forgetClient = (clientId: string) => {
  clientCache.delete(clientId);
  clientInstances.delete(clientId);
};

type ClientClass = Pick<Provider['Client'], 'find'>;

/** Client.find answered from clientInstances (forgotten with the cached metadata, see forgetCachedClients). */
export function cacheClientInstances(Client: ClientClass): void {
  const find = Client.find.bind(Client);
  const load = (id: string) => find(id).then((client) => ({ owner: Client, client }));
  Client.find = async (id: string) => {
    if (typeof id !== 'string' || !id) return find(id);
    let cached = await clientInstances.get(id, () => load(id));
    // Another provider instance (keys or scopes changed) builds instances of its own Client class.
    if (cached.owner !== Client) {
      clientInstances.delete(id);
      cached = await clientInstances.get(id, () => load(id));
    }
    return cached.client;
  };
}

/** Where registrations the provider itself makes (RFC 7591/7592, registration/) are stored and validated. */
export interface ClientRegistrationStore {
  upsert(clientId: string, metadata: Record<string, unknown>): Promise<void>;
  destroy(clientId: string): Promise<void>;
}

class ClientAdapter implements Adapter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registrations?: ClientRegistrationStore,
  ) {}

  find(clientId: string): Promise<Payload | undefined> {
    return clientCache.get(clientId, () => this.load(clientId));
  }

  private async load(clientId: string): Promise<Payload | undefined> {
    const [row] = await this.dataSource.query('SELECT metadata, secret_hash FROM oauth_clients WHERE client_id = $1', [
      clientId,
    ]);
    if (!row) return undefined;
    // The "secret" oidc-provider sees is the hash; compareClientSecret is overridden to hash the presented one.
    return {
      ...row.metadata,
      client_id: clientId,
      ...(row.secret_hash ? { client_secret: row.secret_hash.trim() } : {}),
    };
  }

  // Only dynamic registration writes clients through the provider; no SQL here, the registrations
  // service validates like the admin API does and announces the change to every replica.
  async upsert(clientId: string, metadata: Payload): Promise<void> {
    if (!this.registrations) throw new Error('clients are managed through the admin API');
    await this.registrations.upsert(clientId, metadata);
    forgetClient(clientId);
  }

  async destroy(clientId: string): Promise<void> {
    if (!this.registrations) throw new Error('clients are managed through the admin API');
    await this.registrations.destroy(clientId);
    forgetClient(clientId);
  }

  // The rest of oidc-provider's Adapter belongs to the token models: never called for clients.
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {
    // clients are not consumed
  }

  async revokeByGrantId(): Promise<void> {
    // clients belong to no grant
  }
}

// --- every other model --------------------------------------------------------------------------

/** Artefacts a token request redeems; of these a second redemption must fail. */
const SINGLE_USE_GRANTS = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode']);

/** The models a presented token value may be (introspection, revocation): found with one query. */
const TOKEN_MODELS = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken']);

const live = (alias: string) => `(${alias}.expires_at IS NULL OR ${alias}.expires_at > now())`;
/**
 * consumed_at as the provider sees it: within the model's leeway ($n seconds) it still counts as
 * unused. Without a leeway any consumption counts: now() is the transaction's start, which may
 * precede a consumption another transaction committed meanwhile, so it is never compared then.
 */
const consumedAfterLeeway = (alias: string, leewayParam: string) =>
  `CASE WHEN ${leewayParam} = 0 OR ${alias}.consumed_at <= now() - make_interval(secs => ${leewayParam}) THEN ${alias}.consumed_at END`;

const STATEMENTS = {
  // Within the leeway a second consumption succeeds but keeps the first time, so the leeway never
  // grows. Without one (codes, device codes) strictly once: of parallel redemptions only the first
  // UPDATE matches (the others re-check the committed row and find it consumed).
  consume: `UPDATE oidc_model_instances SET consumed_at = coalesce(consumed_at, now())
     WHERE model = $1 AND id = $2
       AND (consumed_at IS NULL OR ($3::int > 0 AND consumed_at > now() - make_interval(secs => $3::int)))`,
  destroy: `DELETE FROM oidc_model_instances WHERE model = $1 AND id = $2`,
  // Every artefact of the grant, whatever its model: codes, access and refresh tokens. Not an
  // interaction that only names the grant: signing in as someone else (prompt=login) ends the old
  // session, which revokes its grants, and the interaction must then resume (it was deleted with them).
  revokeByGrantId: `DELETE FROM oidc_model_instances WHERE grant_id = $1 AND model <> 'Interaction'`,
  find: (column: 'id' | 'uid' | 'user_code') =>
    `SELECT payload, ${consumedAfterLeeway('m', '$3::int')} AS consumed_at
       FROM oidc_model_instances m WHERE m.model = $1 AND m.${column} = $2 AND ${live('m')}`,
  // A token value under each token model, with the grant it belongs to (RefreshToken alone has a leeway).
  findToken: `SELECT t.model, t.payload, ${consumedAfterLeeway('t', "CASE WHEN t.model = 'RefreshToken' THEN $2::int ELSE 0 END")} AS consumed_at,
       t.grant_id, g.payload AS grant_payload, ${consumedAfterLeeway('g', '0')} AS grant_consumed_at
     FROM oidc_model_instances t
     LEFT JOIN oidc_model_instances g ON g.model = 'Grant' AND g.id = t.grant_id AND ${live('g')}
    WHERE t.id = $1 AND t.model IN ('AccessToken', 'ClientCredentials', 'RefreshToken') AND ${live('t')}`,
};

function modelAdapterClass(sql: AdapterSql, alreadyConsumed: (model: string) => Error, refreshTokenLeeway: number) {
  return class PostgresAdapter {
    /**
     * How long a consumed artefact of this model still counts as unused. Only refresh tokens have
     * a leeway: parallel refreshes (browser tabs, proxies) with one token each get a sibling
     * successor instead of revoking the family; a reuse after it is the RFC 9700 §4.14.2 replay
     * the provider answers by revoking the grant. Codes stay strictly single-use.
     */
    private readonly leewaySeconds: number;

    constructor(private readonly model: string) {
      this.leewaySeconds = model === 'RefreshToken' ? refreshTokenLeeway : 0;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      await sql.upsert([
        this.model,
        id,
        payload,
        payload.grantId ?? null,
        payload.uid ?? null,
        payload.userCode ?? null,
        expiresIn ?? null,
      ]);
    }

    async find(id: string): Promise<Payload | undefined> {
      const scope = openScope();
      const key = `${this.model}:${id}`;
      const cached = scope?.lookups.get(key);
      if (cached) return asPayload(await cached);
      if (!TOKEN_MODELS.has(this.model)) {
        const lookup = this.findWhere('id', id);
        scope?.lookups.set(key, lookup);
        return asPayload(await lookup);
      }
      const rows = this.findToken(id);
      if (scope) {
        for (const model of TOKEN_MODELS)
          scope.lookups.set(
            `${model}:${id}`,
            rows.then((r) => r.get(model)),
          );
      }
      return asPayload((await rows).get(this.model));
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.findWhere('uid', uid).then(asPayload);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findWhere('user_code', userCode).then(asPayload);
    }

    /**
     * Marks a code or refresh token used, atomically: of two requests redeeming the same one at
     * once, only the first gets past here (RFC 9700 §4.2.1, §4.14.2); the other is refused.
     */
    async consume(id: string): Promise<void> {
      const result = await sql.write({
        name: 'oidc-consume',
        text: STATEMENTS.consume,
        values: [this.model, id, this.leewaySeconds],
      });
      if ((result.rowCount ?? 0) === 0 && SINGLE_USE_GRANTS.has(this.model)) throw alreadyConsumed(this.model);
    }

    async destroy(id: string): Promise<void> {
      await sql.write({ name: 'oidc-destroy', text: STATEMENTS.destroy, values: [this.model, id] });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await sql.write({ name: 'oidc-revoke-grant', text: STATEMENTS.revokeByGrantId, values: [grantId] });
    }

    private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<Row | undefined> {
      const { rows } = await sql.read({
        name: `oidc-find-by-${column}`,
        text: STATEMENTS.find(column),
        values: [this.model, value, this.leewaySeconds],
      });
      return rows[0];
    }

    /** The token under each token model it exists as; the Grant it names is remembered for the request. */
    private async findToken(id: string): Promise<Map<string, Row>> {
      const { rows } = await sql.read({
        name: 'oidc-find-token',
        text: STATEMENTS.findToken,
        values: [id, refreshTokenLeeway],
      });
      const found = new Map<string, Row>();
      const scope = openScope();
      for (const row of rows) {
        found.set(row.model, { payload: row.payload, consumed_at: row.consumed_at });
        if (scope && row.grant_id) {
          const grant = row.grant_payload
            ? { payload: row.grant_payload, consumed_at: row.grant_consumed_at }
            : undefined;
          scope.lookups.set(`Grant:${row.grant_id}`, Promise.resolve(grant));
        }
      }
      return found;
    }
  };
}

function asPayload(row: Row | undefined): Payload | undefined {
  if (!row) return undefined;
  return row.consumed_at
    ? { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
    : row.payload;
}

/** Housekeeping for the cleanup job: rows past their expiry. */
export async function deleteExpiredOidcModels(dataSource: DataSource): Promise<number> {
  const result = await dataSource.query(`DELETE FROM oidc_model_instances WHERE expires_at < now()`);
  return affectedRows(result);
}
