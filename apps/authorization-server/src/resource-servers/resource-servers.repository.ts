import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource } from 'typeorm';
import { ResourceServer } from './resource-server.entity';

/** The APIs tokens are issued for: platform-wide (administered by platform administrators only). */
@Injectable()
export class ResourceServersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<ResourceServer[]> {
    return this.dataSource.manager.find(ResourceServer, { order: { createdAt: 'ASC' } });
  }

  find(identifier: string): Promise<ResourceServer | null> {
    return this.dataSource.manager.findOneBy(ResourceServer, { identifier });
  }

  save(server: ResourceServer): Promise<ResourceServer> {
    return this.dataSource.manager.save(ResourceServer, server);
  }

  /** Whether there was one to remove. */
  async remove(identifier: string): Promise<boolean> {
    return Boolean((await this.dataSource.manager.delete(ResourceServer, { identifier })).affected);
  }

  /** A client's token endpoint auth method (null when unset), or undefined when there is no such client. */
  async clientAuthMethod(clientId: string): Promise<string | null | undefined> {
    const [row]: { auth_method: string | null }[] = await this.dataSource.query(
      `SELECT metadata->>'token_endpoint_auth_method' AS auth_method FROM oauth_clients WHERE client_id = $1`,
      [clientId],
    );
    return row ? row.auth_method : undefined;
  }

  /** Inserts the server unless one with its identifier exists. */
  async insertIfMissing(server: Partial<ResourceServer> & Pick<ResourceServer, 'identifier'>): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .insert()
      .into(ResourceServer)
      .values(server)
      .orIgnore()
      .execute();
  }

  /** Sets a JSON mapping column only where it is still empty; whether it did. */
  async fillEmpty(
    identifier: string,
    column: 'scope_permissions' | 'scope_descriptions',
    value: Record<string, unknown>,
  ): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE resource_servers SET ${column} = $2::jsonb WHERE identifier = $1 AND ${column} = '{}'::jsonb`,
      [identifier, JSON.stringify(value)],
    );
    return affectedRows(result) > 0;
  }
}
