import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';
import { ALL_TENANTS, type TenantScope } from '../access/management-access';

/**
 * What we keep beside oidc-provider's InitialAccessToken payload (in the same oidc_model_instances
 * row, under `dcr`; the provider reads only its own fields): the tenant the token registers
 * clients for, its use limit, and an id to list and revoke it by (the row's id is the token itself).
 */
export interface InitialAccessTokenGrant {
  id: string;
  tenantId: string;
  maxUses: number | null;
  uses: number;
  createdBy: string | null;
}

export interface InitialAccessTokenRow extends InitialAccessTokenGrant {
  createdAt: Date;
  expiresAt: Date | null;
}

const MODEL = 'InitialAccessToken';
const LIVE = '(expires_at IS NULL OR expires_at > now())';
const USES = "coalesce((payload->'dcr'->>'uses')::int, 0)";

@Injectable()
export class InitialAccessTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Binds a token the provider just stored to its tenant and limits. */
  async describe(token: string, grant: InitialAccessTokenGrant): Promise<void> {
    await this.dataSource.query(
      `UPDATE oidc_model_instances SET payload = payload || jsonb_build_object('dcr', $3::jsonb) WHERE model = $1 AND id = $2`,
      [MODEL, token, JSON.stringify(grant)],
    );
  }

  /** The live, not used-up token's grant. */
  async find(token: string): Promise<InitialAccessTokenGrant | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT payload->'dcr' AS dcr FROM oidc_model_instances
        WHERE model = $1 AND id = $2 AND ${LIVE} AND payload ? 'dcr'
          AND (payload->'dcr'->>'maxUses' IS NULL OR ${USES} < (payload->'dcr'->>'maxUses')::int)`,
      [MODEL, token],
    );
    return row?.dcr;
  }

  /** Counts one registration, atomically against the limit; false when the token is used up (or gone). */
  async use(manager: EntityManager, token: string): Promise<boolean> {
    const result = await manager.query(
      `UPDATE oidc_model_instances SET payload = jsonb_set(payload, '{dcr,uses}', to_jsonb(${USES} + 1))
        WHERE model = $1 AND id = $2 AND ${LIVE} AND payload ? 'dcr'
          AND (payload->'dcr'->>'maxUses' IS NULL OR ${USES} < (payload->'dcr'->>'maxUses')::int)`,
      [MODEL, token],
    );
    return affectedRows(result) === 1;
  }

  async list(scope: TenantScope): Promise<InitialAccessTokenRow[]> {
    const rows: { dcr: InitialAccessTokenGrant; iat: string; expires_at: Date | null }[] = await this.dataSource.query(
      `SELECT payload->'dcr' AS dcr, payload->>'iat' AS iat, expires_at FROM oidc_model_instances
        WHERE model = $1 AND ${LIVE} AND payload ? 'dcr' AND ($2::text IS NULL OR payload->'dcr'->>'tenantId' = $2)
        ORDER BY payload->>'iat'`,
      [MODEL, scope === ALL_TENANTS ? null : scope],
    );
    return rows.map((row) => ({
      ...row.dcr,
      createdAt: new Date(Number(row.iat) * 1000),
      expiresAt: row.expires_at,
    }));
  }

  /** Whether a token with this id was within the scope (and is now gone). */
  async revoke(scope: TenantScope, id: string): Promise<boolean> {
    const result = await this.dataSource.query(
      `DELETE FROM oidc_model_instances
        WHERE model = $1 AND payload->'dcr'->>'id' = $2 AND ($3::text IS NULL OR payload->'dcr'->>'tenantId' = $3)`,
      [MODEL, id, scope === ALL_TENANTS ? null : scope],
    );
    return affectedRows(result) > 0;
  }
}
