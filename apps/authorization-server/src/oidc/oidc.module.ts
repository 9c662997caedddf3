import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Keyring } from '@platform/crypto';
import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { SigningKeys } from '../keys/signing-keys.service';
import { ResourceServers } from '../resource-servers/resource-servers';
import type { IdentityInternalClient } from '@platform/contracts';
import { identityClientProviders } from '../identity/identity-client.providers';
import { CsrfTokens } from '../interactions/csrf';
import { DeviceCookies } from '../interactions/device-cookies';
import { AUTHZ_CONFIG, IDENTITY_CLIENT, KEYRING } from '../tokens';
import { CustomScopes } from '../custom-scopes/custom-scopes';
import { SecurityEvents } from '../events/security-events';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ClientTenants } from './client-tenants';
import { OidcProviderHolder } from './oidc-provider.holder';
import {
  AUTHZ_API_SCOPE_DESCRIPTIONS,
  AUTHZ_API_SCOPE_PERMISSIONS,
  AUTHZ_API_SCOPES,
  ensureAdminCliClient,
  IDENTITY_API_SCOPE_DESCRIPTIONS,
  IDENTITY_API_SCOPE_PERMISSIONS,
  IDENTITY_API_SCOPES,
  widenBootstrapScopes,
} from './bootstrap';
import { ensureDemoClient, narrowDemoClient } from './demo-client';
import { createOidcProvider } from './oidc-provider.factory';
import { forgetCachedClients } from './postgres-adapter';
import { ClientRegistrations } from '../registration/client-registrations.service';
import { InitialAccessTokensRepository } from '../registration/initial-access-tokens.repository';

/** node-oidc-provider, configured from the database: signing keys, clients, resource servers. */
@Module({})
export class OidcModule {
  static forRoot(config: AuthorizationServerConfig): DynamicModule {
    return {
      module: OidcModule,
      global: true,
      providers: [
        { provide: AUTHZ_CONFIG, useValue: config },
        { provide: KEYRING, useValue: Keyring.parse(config.DATA_ENCRYPTION_KEYS ?? Keyring.generateSpec('ephemeral')) },
        ClusterConfig,
        SigningKeys,
        ResourceServers,
        ClientTenants,
        SecurityEvents,
        CustomScopes,
        InitialAccessTokensRepository,
        ClientRegistrations,
        ...identityClientProviders(config),
        {
          provide: CsrfTokens,
          inject: [KEYRING],
          useFactory: (keyring: Keyring) => new CsrfTokens(keyring.deriveKeys('csrf')),
        },
        {
          provide: DeviceCookies,
          inject: [KEYRING],
          useFactory: (keyring: Keyring) =>
            new DeviceCookies(keyring.deriveKeys('device-cookies'), new URL(config.ISSUER).protocol === 'https:'),
        },
        {
          provide: OidcProviderHolder,
          inject: [
            getDataSourceToken(),
            SigningKeys,
            ResourceServers,
            ClientTenants,
            IDENTITY_CLIENT,
            KEYRING,
            SecurityEvents,
            CustomScopes,
            ClusterConfig,
            ClientRegistrations,
          ],
          useFactory: async (
            dataSource: DataSource,
            keys: SigningKeys,
            resourceServers: ResourceServers,
            clientTenants: ClientTenants,
            identity: IdentityInternalClient,
            keyring: Keyring,
            securityEvents: SecurityEvents,
            customScopes: CustomScopes,
            cluster: ClusterConfig,
            registrations: ClientRegistrations,
          ) => {
            await keys.ensureKeys();
            await resourceServers.ensure({
              identifier: config.IDENTITY_API_AUDIENCE,
              name: 'Identity Platform API',
              scopes: IDENTITY_API_SCOPES,
              includePermissions: true,
              scopePermissions: IDENTITY_API_SCOPE_PERMISSIONS,
              scopeDescriptions: IDENTITY_API_SCOPE_DESCRIPTIONS,
            });
            await resourceServers.ensure({
              identifier: config.AUTHZ_API_AUDIENCE,
              name: 'Authorization Server management API',
              scopes: AUTHZ_API_SCOPES,
              includePermissions: true,
              scopePermissions: AUTHZ_API_SCOPE_PERMISSIONS,
              scopeDescriptions: AUTHZ_API_SCOPE_DESCRIPTIONS,
            });
            if (config.BOOTSTRAP_DEMO_CLIENT && (await ensureDemoClient(dataSource))) {
              new Logger('Bootstrap').log('created the public client "demo" (device flow, code + PKCE to loopback)');
            }
            if (await narrowDemoClient(dataSource)) {
              new Logger('Bootstrap').log('removed identity.users.read from the public client "demo"');
            }
            const generated = await ensureAdminCliClient(dataSource, config.BOOTSTRAP_ADMIN_CLI_SECRET);
            if (generated) {
              new Logger('Bootstrap').warn(`created client "admin-cli"; its secret, shown only now: ${generated}`);
            }
            for (const change of await widenBootstrapScopes(dataSource, config.AUTHZ_API_AUDIENCE)) {
              new Logger('Bootstrap').log(change);
            }
            const holder = new OidcProviderHolder();
            await holder.initialize(async () =>
              createOidcProvider({
                config,
                dataSource,
                jwks: await keys.privateJwks(),
                resourceServers,
                scopes: await resourceServers.allScopes(),
                identity,
                clientTenants,
                cookieKeys: keyring.deriveKeys('oidc-cookies'),
                securityEvents,
                customScopes,
                registrations,
              }),
            );
            // Keys, APIs and custom scopes are fixed per provider instance: any replica's change rebuilds it here.
            for (const topic of [ConfigTopic.signingKeys, ConfigTopic.resourceServers, ConfigTopic.customScopes]) {
              cluster.onChange(topic, () => holder.reload());
            }
            cluster.onChange(ConfigTopic.clients, forgetCachedClients);
            return holder;
          },
        },
      ],
      exports: [
        ClusterConfig,
        SecurityEvents,
        CustomScopes,
        AUTHZ_CONFIG,
        OidcProviderHolder,
        SigningKeys,
        ResourceServers,
        ClientTenants,
        CsrfTokens,
        DeviceCookies,
        IDENTITY_CLIENT,
        InitialAccessTokensRepository,
      ],
    };
  }
}
