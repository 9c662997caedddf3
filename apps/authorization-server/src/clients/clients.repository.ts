import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type TenantScope, tenantWhere } from '../access/management-access';
import { OAuthClient } from './oauth-client.entity';

/**
 * Client registrations, always within a TenantScope: a tenant's callers never reach another
 * tenant's clients nor the platform's own (tenant_id null), which only ALL_TENANTS includes.
 */
@Injectable()
export class ClientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(scope: TenantScope): Promise<OAuthClient[]> {
    return this.dataSource.manager.find(OAuthClient, { where: tenantWhere(scope), order: { createdAt: 'ASC' } });
  }

  find(scope: TenantScope, clientId: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(OAuthClient, { clientId, ...tenantWhere(scope) });
  }

  save(manager: EntityManager, client: OAuthClient): Promise<OAuthClient> {
    return manager.save(OAuthClient, client);
  }

  // The protocol side's look-ups below answer the token path and CORS, never a management caller:
  // no scope to respect there, and both are cached by their callers.

  /** A client's tenant (null for the platform's own clients and for an unknown client). */
  async tenantOf(clientId: string): Promise<string | null> {
    const [row]: { tenant_id: string | null }[] = await this.dataSource.query(
      'SELECT tenant_id FROM oauth_clients WHERE client_id = $1',
      [clientId],
    );
    return row?.tenant_id ?? null;
  }

  /** Every browser origin any registered client declared (`webOrigins`). */
  async webOrigins(): Promise<Set<string>> {
    const rows: { origin: string }[] = await this.dataSource.query(
      `SELECT DISTINCT jsonb_array_elements_text(metadata->'web_origins') AS origin
         FROM oauth_clients WHERE jsonb_typeof(metadata->'web_origins') = 'array'`,
    );
    return new Set(rows.map((row) => row.origin));
  }

  /** The removed client, or null when there is none in the scope. */
  async remove(manager: EntityManager, scope: TenantScope, clientId: string): Promise<OAuthClient | null> {
    const client = await this.find(scope, clientId, manager);
    if (client) await manager.delete(OAuthClient, { clientId: client.clientId });
    return client;
  }
}
