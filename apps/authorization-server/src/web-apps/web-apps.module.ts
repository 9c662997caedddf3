import { Inject, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { AUTHZ_CONFIG } from '../tokens';
import { ensureFirstPartyApps } from './first-party-clients';

/** The platform's own single-page apps: their clients (the files are served by web-apps.middleware.ts). */
@Module({})
export class WebAppsModule implements OnApplicationBootstrap {
  constructor(
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const clientId of await ensureFirstPartyApps(this.dataSource, this.config.ISSUER)) {
      new Logger('Bootstrap').log(`created the first-party public client "${clientId}"`);
    }
  }
}
