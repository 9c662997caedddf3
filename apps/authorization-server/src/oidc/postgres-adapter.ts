import { affectedRows } from '@platform/database';
import type { DataSource } from 'typeorm';

type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

/**
 * node-oidc-provider persistence on Postgres: every model (sessions, grants, codes,
 * tokens, ...) in one table keyed by (model, id) with a JSONB payload. Expired rows
 * are invisible here and removed by the cleanup job.
 */
export function oidcAdapterFactory(
  dataSource: DataSource,
  alreadyConsumed: (model: string) => Error,
  { refreshTokenReuseLeewaySeconds = 0 }: { refreshTokenReuseLeewaySeconds?: number } = {},
) {
  const ModelAdapter = modelAdapterClass(dataSource, alreadyConsumed, refreshTokenReuseLeewaySeconds);
  // Clients live in their own table (managed by the admin API, secrets hashed).
  return (model: string) => (model === 'Client' ? new ClientAdapter(dataSource) : new ModelAdapter(model));
}

// Client look-ups sit on every token request; registrations change rarely. Changes made
// through this instance clear it at once, other replicas see them within the TTL.
const CLIENT_CACHE_MS = 5_000;
const clientCache = new Map<string, { at: number; payload: Payload | undefined }>();

export function forgetCachedClient(clientId: string): void {
  clientCache.delete(clientId);
}

class ClientAdapter {
  constructor(private readonly dataSource: DataSource) {}

  async find(clientId: string): Promise<Payload | undefined> {
    const hit = clientCache.get(clientId);
    if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.payload;
    const payload = await this.load(clientId);
    clientCache.set(clientId, { at: Date.now(), payload });
    return payload;
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

  async upsert(): Promise<void> {
    throw new Error('clients are managed through the admin API');
  }

  async destroy(): Promise<void> {
    throw new Error('clients are managed through the admin API');
  }
}

/** Artefacts a token request redeems; of these a second redemption must fail. */
const SINGLE_USE_GRANTS = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode']);

function modelAdapterClass(
  dataSource: DataSource,
  alreadyConsumed: (model: string) => Error,
  refreshTokenReuseLeewaySeconds: number,
) {
  return class PostgresAdapter {
    /**
     * How long a consumed artefact of this model still counts as unused. Only refresh tokens have
     * a leeway: parallel refreshes (browser tabs, proxies) with one token each get a sibling
     * successor instead of revoking the family; a reuse after it is the RFC 9700 §4.14.2 replay
     * the provider answers by revoking the grant. Codes stay strictly single-use.
     */
    private readonly leewaySeconds: number;

    constructor(private readonly model: string) {
      this.leewaySeconds = model === 'RefreshToken' ? refreshTokenReuseLeewaySeconds : 0;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      await dataSource.query(
        `INSERT INTO oidc_model_instances (model, id, payload, grant_id, uid, user_code, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END)
         ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
           uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at`,
        [
          this.model,
          id,
          payload,
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn ?? null,
        ],
      );
    }

    find(id: string): Promise<Payload | undefined> {
      return this.findWhere('id = $2', id);
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.findWhere('uid = $2', uid);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.findWhere('user_code = $2', userCode);
    }

    /**
     * Marks a code or refresh token used, atomically: of two requests redeeming the same one at
     * once, only the first gets past here (RFC 9700 §4.2.1, §4.14.2); the other is refused.
     */
    async consume(id: string): Promise<void> {
      // Within the leeway a second consumption succeeds but keeps the first time, so the leeway never grows.
      const result = await dataSource.query(
        `UPDATE oidc_model_instances SET consumed_at = coalesce(consumed_at, now())
          WHERE model = $1 AND id = $2
            AND (consumed_at IS NULL OR consumed_at > now() - make_interval(secs => $3::int))`,
        [this.model, id, this.leewaySeconds],
      );
      if (affectedRows(result) === 0 && SINGLE_USE_GRANTS.has(this.model)) throw alreadyConsumed(this.model);
    }

    async destroy(id: string): Promise<void> {
      await dataSource.query(`DELETE FROM oidc_model_instances WHERE model = $1 AND id = $2`, [this.model, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // Every artefact of the grant, whatever its model: codes, access and refresh tokens.
      await dataSource.query(`DELETE FROM oidc_model_instances WHERE grant_id = $1`, [grantId]);
    }

    private async findWhere(condition: string, value: string): Promise<Payload | undefined> {
      const [row] = await dataSource.query(
        `SELECT payload, CASE WHEN consumed_at <= now() - make_interval(secs => $3::int) THEN consumed_at END AS consumed_at
           FROM oidc_model_instances
          WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())`,
        [this.model, value, this.leewaySeconds],
      );
      if (!row) return undefined;
      return row.consumed_at
        ? { ...row.payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) }
        : row.payload;
    }
  };
}

/** Housekeeping for the cleanup job: rows past their expiry. */
export async function deleteExpiredOidcModels(dataSource: DataSource): Promise<number> {
  const result = await dataSource.query(`DELETE FROM oidc_model_instances WHERE expires_at < now()`);
  return affectedRows(result);
}
