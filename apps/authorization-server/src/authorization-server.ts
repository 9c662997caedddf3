import type { ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadAuthorizationServerConfig, type AuthorizationServerConfig } from './config';
import { authzDataSourceOptions } from './database/data-source';
import { isOidcPath } from './oidc/oidc-provider.factory';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OidcProviderHolder } from './oidc/oidc-provider.holder';

export const authorizationServer: ServiceDefinition<AuthorizationServerConfig> = {
  name: 'authorization-server',
  title: 'Authorization Server',
  description: 'OAuth 2.x / OpenID Connect: clients, scopes, signing keys, tokens and the hosted login pages.',
  version: '0.1.0',
  loadConfig: loadAuthorizationServerConfig,
  dataSourceOptions: authzDataSourceOptions,
  rootModule: (config) => AppModule.forRoot(config),
  configureHttp: (app) => {
    // The protocol endpoints belong to oidc-provider, which parses its own request bodies.
    const holder = app.get(OidcProviderHolder);
    app.use((req: IncomingMessage & { path: string }, res: ServerResponse, next: () => void) =>
      isOidcPath(req.path) ? holder.handle(req, res) : next(),
    );
  },
};
