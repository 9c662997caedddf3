import { type DynamicModule, Module } from '@nestjs/common';
import { ResourceServerModule } from '@platform/resource-server';
import { PlatformModule } from '@platform/runtime';
import type { IdentityBackendConfig } from './config';
import { identityDataSourceOptions } from './database/data-source';
import { Topics } from './events/identity-events';
import { IdentityModule } from './identity.module';

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
          outbox: { topics: Object.values(Topics) },
        }),
        ResourceServerModule.forRoot({
          issuer: config.TOKEN_ISSUER,
          audience: config.API_AUDIENCE,
          jwksUri: config.JWKS_URL,
          dpop: { publicBaseUrl: config.PUBLIC_URL, trustProxy: config.TRUST_PROXY },
          mtls: { header: config.MTLS_CLIENT_CERTIFICATE_HEADER, trustProxy: config.TRUST_PROXY },
        }),
        IdentityModule.forRoot(config),
      ],
    };
  }
}
