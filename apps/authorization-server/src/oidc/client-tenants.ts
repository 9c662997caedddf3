import { Injectable } from '@nestjs/common';
import { BoundedCache } from '@platform/runtime';
import { ClientsRepository } from '../clients/clients.repository';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';

/** A client's tenant, cached: it is read on every token issued. */
@Injectable()
export class ClientTenants {
  private readonly cache = new BoundedCache<string | null>({ max: 10_000, ttlMs: 30_000 });

  constructor(
    private readonly clients: ClientsRepository,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.clients, () => this.cache.clear());
  }

  of(clientId: string): Promise<string | null> {
    return this.cache.get(clientId, () => this.clients.tenantOf(clientId));
  }
}
