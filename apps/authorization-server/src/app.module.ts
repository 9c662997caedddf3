import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@platform/runtime';
import type { AuthorizationServerConfig } from './config';
import { authzDataSourceOptions } from './database/data-source';
import { ResourceServerModule } from '@platform/resource-server';
import { SECURITY_TOPIC } from '@platform/contracts';
import { ConsumerInfrastructure } from './events/service-event-consumer';
import { TenantChangesConsumer } from './events/tenant-changes.consumer';
import { UserLifecycleConsumer } from './events/user-lifecycle.consumer';
import { AuthorizationServerHousekeeping } from './housekeeping';
import { InteractionsModule } from './interactions/interactions.module';
import { SelfServiceModule } from './self-service/self-service.module';
import { ManagementModule } from './management.module';
import { SessionsModule } from './sessions/sessions.module';
import { OidcModule } from './oidc/oidc.module';
import { MeModule } from './me/me.module';
import { AccountLinksModule } from './account-links/account-links.module';
import { DevicesModule } from './devices/devices.module';
import { WebAppsModule } from './web-apps/web-apps.module';
import { ImpersonationModule } from './impersonation/impersonation.module';

@Module({})
export class AppModule {
  static forRoot(config: AuthorizationServerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          serviceName: 'authorization-server',
          config,
          dataSourceOptions: authzDataSourceOptions(config),
          peers: [{ name: 'identity-backend', url: config.IDENTITY_BACKEND_URL }],
          outbox: { topics: [SECURITY_TOPIC] },
        }),
        OidcModule.forRoot(config),
        // The management API is a resource server of this very issuer.
        ResourceServerModule.forRoot({
          issuer: config.ISSUER,
          audience: config.AUTHZ_API_AUDIENCE,
          jwksUri: `${config.ISSUER}/jwks`,
          // DPoP proofs name the URL the client called: this server's public one.
          dpop: { publicBaseUrl: config.ISSUER },
          mtls: { header: config.MTLS_CLIENT_CERTIFICATE_HEADER, trustProxy: config.TRUST_PROXY },
        }),
        ManagementModule,
        InteractionsModule,
        SelfServiceModule,
        SessionsModule,
        MeModule,
        AccountLinksModule,
        DevicesModule,
        WebAppsModule,
        ImpersonationModule,
      ],
      providers: [
        ConsumerInfrastructure,
        UserLifecycleConsumer,
        TenantChangesConsumer,
        AuthorizationServerHousekeeping,
      ],
    };
  }
}
