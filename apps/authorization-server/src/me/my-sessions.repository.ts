import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

/** The display names of the apps a user's grants belong to. */
@Injectable()
export class ClientNamesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async namesOf(clientIds: string[]): Promise<Map<string, string>> {
    if (!clientIds.length) return new Map();
    const clients = await this.dataSource.manager.find(OAuthClient, {
      select: { clientId: true, name: true },
      where: { clientId: In([...new Set(clientIds)]) },
    });
    return new Map(clients.map((c) => [c.clientId, c.name]));
  }
}
