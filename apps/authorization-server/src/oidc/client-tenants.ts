import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BoundedCache } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';

/** A client's tenant, cached: it is read on every token issued. */
@Injectable()
export class ClientTenants {
  private readonly cache = new BoundedCache<string | null>({ max: 10_000, ttlMs: 30_000 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.clients, () => this.cache.clear());
  }

  of(clientId: string): Promise<string | null> {
    return this.cache.get(clientId, async () => {
      const [row] = await this.dataSource.query('SELECT tenant_id FROM oauth_clients WHERE client_id = $1', [clientId]);
      return row?.tenant_id ?? null;
    });
  }
}
