import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { BoundedCache } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ResourceServer } from './resource-server.entity';

/** Resource server look-ups on the token hot path, cached until any replica changes one. */
@Injectable()
export class ResourceServers {
  private readonly cache = new BoundedCache<ResourceServer | null>({ max: 1_000, ttlMs: 60_000 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.resourceServers, () => this.cache.clear());
  }

  find(identifier: string): Promise<ResourceServer | null> {
    return this.cache.get(identifier, () => this.dataSource.manager.findOneBy(ResourceServer, { identifier }));
  }

  async allScopes(): Promise<string[]> {
    const servers = await this.dataSource.manager.find(ResourceServer);
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
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(ResourceServer)
      .values({ ...server, tokenFormat: 'jwt', accessTokenTtl: 900 })
      .orIgnore()
      .execute();
    for (const [column, value] of [
      ['scope_permissions', server.scopePermissions],
      ['scope_descriptions', server.scopeDescriptions],
    ] as const) {
      const result = await this.dataSource.query(
        `UPDATE resource_servers SET ${column} = $2::jsonb WHERE identifier = $1 AND ${column} = '{}'::jsonb`,
        [server.identifier, JSON.stringify(value)],
      );
      if (affectedRows(result) > 0)
        new Logger('Bootstrap').log(`${column} set on resource server ${server.identifier}`);
    }
  }
}
