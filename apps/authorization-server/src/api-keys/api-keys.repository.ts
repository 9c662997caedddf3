import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type TenantScope, tenantWhere } from '../access/management-access';
import { ApiKey } from './api-key.entity';

/** A stored key as the protocol endpoints check it, and whether its last use is worth recording again. */
export interface StoredApiKey extends Pick<
  ApiKey,
  'id' | 'tenantId' | 'clientId' | 'audience' | 'scopes' | 'secretHash' | 'expiresAt' | 'revokedAt' | 'createdAt'
> {
  /** No use recorded in the last minute: `last_used_at` is written at most once a minute per key. */
  touch: boolean;
}

interface ApiKeyRow {
  id: string;
  tenant_id: string | null;
  client_id: string | null;
  audience: string;
  scopes: string[];
  secret_hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
  touch: boolean;
}

/**
 * API keys at rest. Management reads go through a TenantScope (another tenant's key is as absent
 * as a missing one); the protocol look-up by id serves introspection and token exchange.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  save(apiKey: ApiKey): Promise<ApiKey> {
    return this.dataSource.manager.save(ApiKey, apiKey);
  }

  list(scope: TenantScope, clientId?: string): Promise<ApiKey[]> {
    return this.dataSource.manager.find(ApiKey, {
      where: { ...tenantWhere(scope), ...(clientId ? { clientId } : {}) },
      order: { createdAt: 'ASC' },
    });
  }

  find(scope: TenantScope, id: string): Promise<ApiKey | null> {
    return this.dataSource.manager.findOneBy(ApiKey, { id, ...tenantWhere(scope) });
  }

  /** Revoking twice keeps the first time. */
  async revoke(id: string): Promise<void> {
    await this.dataSource.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  }

  async findForVerification(id: string): Promise<StoredApiKey | null> {
    const [row] = (await this.dataSource.query(
      `SELECT id, tenant_id, client_id, audience, scopes, secret_hash, expires_at, revoked_at, created_at,
              (last_used_at IS NULL OR last_used_at < now() - interval '60 seconds') AS touch
         FROM api_keys WHERE id = $1`,
      [id],
    )) as ApiKeyRow[];
    if (!row) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      audience: row.audience,
      scopes: row.scopes,
      secretHash: row.secret_hash,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      createdAt: row.created_at,
      touch: row.touch,
    };
  }

  async recordUse(id: string): Promise<void> {
    await this.dataSource.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]);
  }
}
