import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A client's tenant, cached briefly: it is read on every token issued. */
@Injectable()
export class ClientTenants {
  private readonly cache = new Map<string, { at: number; tenantId: string | null }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async of(clientId: string): Promise<string | null> {
    const hit = this.cache.get(clientId);
    if (hit && Date.now() - hit.at < 30_000) return hit.tenantId;
    const [row] = await this.dataSource.query('SELECT tenant_id FROM oauth_clients WHERE client_id = $1', [clientId]);
    const tenantId: string | null = row?.tenant_id ?? null;
    this.cache.set(clientId, { at: Date.now(), tenantId });
    return tenantId;
  }
}
