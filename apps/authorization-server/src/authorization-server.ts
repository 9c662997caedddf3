import type { ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadAuthorizationServerConfig, type AuthorizationServerConfig } from './config';
import { authzDataSourceOptions } from './database/data-source';

export const authorizationServer: ServiceDefinition<AuthorizationServerConfig> = {
  name: 'authorization-server',
  title: 'Authorization Server',
  description: 'OAuth 2.x / OpenID Connect: clients, scopes, signing keys, tokens and the hosted login pages.',
  version: '0.1.0',
  loadConfig: loadAuthorizationServerConfig,
  dataSourceOptions: authzDataSourceOptions,
  rootModule: (config) => AppModule.forRoot(config),
};
