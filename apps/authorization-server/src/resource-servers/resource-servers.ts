import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
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

  /** Registered on first start so the platform's own admin API can be called. */
  async ensure(server: Pick<ResourceServer, 'identifier' | 'name' | 'scopes' | 'includePermissions'>): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(ResourceServer)
      .values({ ...server, tokenFormat: 'jwt', accessTokenTtl: 900 })
      .orIgnore()
      .execute();
  }
}
