import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Keyring } from '@platform/crypto';
import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { SigningKeys } from '../keys/signing-keys.service';
import { ResourceServers } from '../resource-servers/resource-servers';
import { KEYRING, OIDC_PROVIDER } from '../tokens';
import { ensureAdminCliClient, IDENTITY_API_SCOPES } from './bootstrap';
import { createOidcProvider } from './oidc-provider.factory';

/** node-oidc-provider, configured from the database: signing keys, clients, resource servers. */
@Module({})
export class OidcModule {
  static forRoot(config: AuthorizationServerConfig): DynamicModule {
    return {
      module: OidcModule,
      providers: [
        { provide: KEYRING, useValue: Keyring.parse(config.DATA_ENCRYPTION_KEYS ?? Keyring.generateSpec('ephemeral')) },
        SigningKeys,
        ResourceServers,
        {
          provide: OIDC_PROVIDER,
          inject: [getDataSourceToken(), SigningKeys, ResourceServers],
          useFactory: async (dataSource: DataSource, keys: SigningKeys, resourceServers: ResourceServers) => {
            await keys.ensureActiveKey();
            await resourceServers.ensure({
              identifier: config.IDENTITY_API_AUDIENCE,
              name: 'Identity Platform API',
              scopes: IDENTITY_API_SCOPES,
              includePermissions: true,
            });
            const generated = await ensureAdminCliClient(dataSource, config.BOOTSTRAP_ADMIN_CLI_SECRET);
            if (generated) {
              new Logger('Bootstrap').warn(`created client "admin-cli"; its secret, shown only now: ${generated}`);
            }
            return createOidcProvider({
              config,
              dataSource,
              jwks: await keys.privateJwks(),
              resourceServers,
              scopes: await resourceServers.allScopes(),
            });
          },
        },
      ],
      exports: [OIDC_PROVIDER, SigningKeys, ResourceServers],
    };
  }
}
