import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@platform/runtime';
import type { IdentityBackendConfig } from './config';
import { identityDataSourceOptions } from './database/data-source';

@Module({})
export class AppModule {
  static forRoot(config: IdentityBackendConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'identity-backend',
          config,
          dataSourceOptions: identityDataSourceOptions(config),
          peers: [{ name: 'authorization-server', url: config.AUTHORIZATION_SERVER_URL }],
        }),
      ],
    };
  }
}
