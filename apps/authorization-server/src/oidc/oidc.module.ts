import { type DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Keyring } from '@platform/crypto';
import { Clock } from '@platform/runtime';
import type { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ClientsRepository } from '../clients/clients.repository';
import { SigningKeysRepository } from '../keys/signing-keys.repository';
import { SigningKeys } from '../keys/signing-keys.service';
import { ResourceServers } from '../resource-servers/resource-servers';
import { ResourceServersRepository } from '../resource-servers/resource-servers.repository';
import type { IdentityInternalClient } from '@platform/contracts';
import { identityClientProviders } from '../identity/identity-client.providers';
import { ServiceTokens } from '../identity/service-tokens';
import { CsrfTokens } from '../interactions/csrf';
import { DeviceCookies } from '../interactions/device-cookies';
import { AUTHZ_CONFIG, IDENTITY_CLIENT, KEYRING } from '../tokens';
import { CustomScopes } from '../custom-scopes/custom-scopes';
import { SecurityEvents } from '../events/security-events';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ClientTenants } from './client-tenants';
import { OidcProviderHolder } from './oidc-provider.holder';
import { StartupSeed } from './startup-seed';
import { createOidcProvider } from './oidc-provider.factory';
import { forgetCachedClients } from './postgres-adapter';
import { ClientRegistrations } from '../registration/client-registrations.service';
import { InitialAccessTokensRepository } from '../registration/initial-access-tokens.repository';
import { ImpersonationSessions } from '../impersonation/impersonation-sessions';
import { ImpersonationSessionsRepository } from '../impersonation/impersonation-sessions.repository';

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
        SigningKeysRepository,
        SigningKeys,
        ResourceServersRepository,
        ResourceServers,
        ClientsRepository,
        ClientTenants,
        ApiKeysRepository,
        ApiKeyVerifier,
        SecurityEvents,
        CustomScopes,
        InitialAccessTokensRepository,
        ClientRegistrations,
        StartupSeed,
        ImpersonationSessionsRepository,
        ImpersonationSessions,
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
            StartupSeed,
            ApiKeyVerifier,
            ImpersonationSessions,
            Clock,
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
            seed: StartupSeed,
            apiKeys: ApiKeyVerifier,
            impersonation: ImpersonationSessions,
            clock: Clock,
          ) => {
            // The provider is built from the keys and APIs the seed ensures.
            await seed.run();
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
                apiKeys,
                impersonation,
                clock,
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
        ResourceServersRepository,
        ClientsRepository,
        ClientTenants,
        ApiKeysRepository,
        CsrfTokens,
        DeviceCookies,
        KEYRING,
        IDENTITY_CLIENT,
        ServiceTokens,
        InitialAccessTokensRepository,
        ImpersonationSessions,
      ],
    };
  }
}
