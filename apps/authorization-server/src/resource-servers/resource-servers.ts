import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource } from 'typeorm';
import { ResourceServer } from './resource-server.entity';

const CACHE_MS = 5_000;

/** Resource server look-ups on the token hot path, cached briefly. */
@Injectable()
export class ResourceServers {
  private cache = new Map<string, { at: number; value: ResourceServer | null }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(identifier: string): Promise<ResourceServer | null> {
    const hit = this.cache.get(identifier);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.dataSource.manager.findOneBy(ResourceServer, { identifier });
    this.cache.set(identifier, { at: Date.now(), value });
    return value;
  }

  forget(): void {
    this.cache.clear();
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
