import { CreateConfigVersions1796130000000, serviceDataSourceOptions } from '@platform/database';
import {
  CreateOutboxMessages1764000001000,
  CreateProcessedEvents1764000011000,
  OutboxMessage,
  ProcessedEvent,
} from '@platform/events';
import { ApiKey } from '../api-keys/api-key.entity';
import { OAuthClient } from '../clients/oauth-client.entity';
import { SigningKey } from '../keys/signing-key.entity';
import { OidcModelInstance } from '../oidc/oidc-model-instance.entity';
import { ResourceServer } from '../resource-servers/resource-server.entity';
import { CreateOidcModelInstances1764000000000 } from './migrations/1764000000000-create-oidc-model-instances';
import { CreateSigningKeysAndClients1764000010000 } from './migrations/1764000010000-create-signing-keys-and-clients';
import { CreateApiKeys1796081500000 } from './migrations/1796081500000-create-api-keys';
import { CreateCustomScopes1796083000000 } from './migrations/1796083000000-create-custom-scopes';
import { AddResourceServerScopeMappings1796121700000 } from './migrations/1796121700000-add-resource-server-scope-mappings';
import { AddResourceServerSigningAlg1796121800000 } from './migrations/1796121800000-add-resource-server-signing-alg';
import { DefaultClientScopes1796130100000 } from './migrations/1796130100000-default-client-scopes';
import { AddResourceServerIntrospectionClient1796140000000 } from './migrations/1796140000000-add-resource-server-introspection-client';
import { CustomScope } from '../custom-scopes/custom-scope.entity';
import { ImpersonationSession } from '../impersonation/impersonation-session.entity';
import { CreateImpersonationSessions1796151600000 } from './migrations/1796151600000-create-impersonation-sessions';
import { TrustedDevice } from '../devices/trusted-device.entity';
import { CreateTrustedDevices1796150100000 } from './migrations/1796150100000-create-trusted-devices';

export const authzEntities = [
  OidcModelInstance,
  SigningKey,
  OAuthClient,
  ResourceServer,
  ProcessedEvent,
  ApiKey,
  OutboxMessage,
  CustomScope,
  ImpersonationSession,
  TrustedDevice,
];
export const authzMigrations = [
  CreateOidcModelInstances1764000000000,
  CreateSigningKeysAndClients1764000010000,
  CreateProcessedEvents1764000011000,
  CreateApiKeys1796081500000,
  // The shared outbox table (authz.* security events), as in the identity backend.
  CreateOutboxMessages1764000001000,
  CreateCustomScopes1796083000000,
  AddResourceServerScopeMappings1796121700000,
  AddResourceServerSigningAlg1796121800000,
  // The cluster's configuration versions (LISTEN/NOTIFY + version check), @platform/database.
  CreateConfigVersions1796130000000,
  DefaultClientScopes1796130100000,
  AddResourceServerIntrospectionClient1796140000000,
  CreateImpersonationSessions1796151600000,
  CreateTrustedDevices1796150100000,
];

export const authzDataSourceOptions = serviceDataSourceOptions({
  entities: authzEntities,
  migrations: authzMigrations,
});
