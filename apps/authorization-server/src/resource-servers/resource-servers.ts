import { Injectable, Logger } from '@nestjs/common';
import { BoundedCache } from '@platform/runtime';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import type { ResourceServer } from './resource-server.entity';
import { ResourceServersRepository } from './resource-servers.repository';

/** Resource server look-ups on the token hot path, cached until any replica changes one. */
@Injectable()
export class ResourceServers {
  private readonly cache = new BoundedCache<ResourceServer | null>({ max: 1_000, ttlMs: 60_000 });

  constructor(
    private readonly repository: ResourceServersRepository,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.resourceServers, () => this.cache.clear());
  }

  find(identifier: string): Promise<ResourceServer | null> {
    return this.cache.get(identifier, () => this.repository.find(identifier));
  }

  async allScopes(): Promise<string[]> {
    const servers = await this.repository.list();
    return [...new Set(servers.flatMap((s) => s.scopes))];
  }

  /**
   * Registered on first start so the platform's own admin API can be called. Databases
   * bootstrapped before scope mappings existed get them now, but only where none is set: an
   * operator's mapping or wording is never replaced.
   */
  async ensure(
    server: Pick<
      ResourceServer,
      'identifier' | 'name' | 'scopes' | 'includePermissions' | 'scopePermissions' | 'scopeDescriptions'
    >,
  ): Promise<void> {
    await this.repository.insertIfMissing({ ...server, tokenFormat: 'jwt', accessTokenTtl: 900 });
    for (const [column, value] of [
      ['scope_permissions', server.scopePermissions],
      ['scope_descriptions', server.scopeDescriptions],
    ] as const) {
      if (await this.repository.fillEmpty(server.identifier, column, value))
        new Logger('Bootstrap').log(`${column} set on resource server ${server.identifier}`);
    }
  }
}
