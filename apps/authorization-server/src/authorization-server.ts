import type { ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadAuthorizationServerConfig, type AuthorizationServerConfig } from './config';
import { authzDataSourceOptions } from './database/data-source';
import { oidcRouteOf } from './oidc/oidc-provider.factory';
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
    app.use((req: IncomingMessage & { path: string; route?: unknown }, res: ServerResponse, next: () => void) => {
      const route = oidcRouteOf(req.path);
      if (!route) return next();
      // Express sets req.route only for its own routes: name ours for the request metrics.
      req.route = { path: route };
      holder.handle(req, res);
    });
  },
};
