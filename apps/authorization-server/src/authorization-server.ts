import { httpMetricsMiddleware, ServiceMetrics, type ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadAuthorizationServerConfig, type AuthorizationServerConfig } from './config';
import { authzDataSourceOptions } from './database/data-source';
import { oidcRouteOf } from './oidc/oidc-routes';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { OidcProviderHolder } from './oidc/oidc-provider.holder';
import { webAppsMiddleware } from './web-apps/web-apps.middleware';

export const authorizationServer: ServiceDefinition<AuthorizationServerConfig> = {
  name: 'authorization-server',
  title: 'Authorization Server',
  description: 'OAuth 2.x / OpenID Connect: clients, scopes, signing keys, tokens and the hosted login pages.',
  version: '0.1.0',
  loadConfig: loadAuthorizationServerConfig,
  dataSourceOptions: authzDataSourceOptions,
  rootModule: (config) => AppModule.forRoot(config),
  configureHttp: (app, config) => {
    // The account and admin consoles (static single-page apps), ahead of Nest's routes.
    app.use(webAppsMiddleware(config));
    // The protocol endpoints belong to oidc-provider, which parses its own request bodies. They are
    // answered ahead of Express (the token endpoint is the hot path); everything else goes on to Nest.
    const holder = app.get(OidcProviderHolder);
    const timeRequest = httpMetricsMiddleware(app.get(ServiceMetrics));
    const server = app.getHttpServer() as Server;
    const [express] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage & { route?: unknown }, res: ServerResponse) => {
      const route = oidcRouteOf(pathOf(req.url));
      if (!route) return express!(req, res);
      // Named for the request metrics like an Express route (low-cardinality label).
      req.route = { path: route };
      timeRequest(req as never, res as never, () => holder.handle(req, res));
    });
  },
};

const pathOf = (url = '/') => {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
};
