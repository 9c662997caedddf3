import type { ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadIdentityBackendConfig, type IdentityBackendConfig } from './config';
import { identityDataSourceOptions } from './database/data-source';

export const identityBackend: ServiceDefinition<IdentityBackendConfig> = {
  name: 'identity-backend',
  title: 'Identity Backend',
  description: 'The user directory: tenants, users, credentials, MFA, roles and account lifecycle.',
  version: '0.1.0',
  loadConfig: loadIdentityBackendConfig,
  dataSourceOptions: identityDataSourceOptions,
  rootModule: (config) => AppModule.forRoot(config),
};
