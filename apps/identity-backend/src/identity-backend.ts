import type { ServiceDefinition } from '@platform/runtime';
import { AppModule } from './app.module';
import { loadIdentityBackendConfig, type IdentityBackendConfig } from './config';
import { identityDataSourceOptions } from './database/data-source';
import { allowedOrigins, corsMiddleware, registeredOriginsAt } from './cors/cors';

export const identityBackend: ServiceDefinition<IdentityBackendConfig> = {
  name: 'identity-backend',
  title: 'Identity Backend',
  description: 'The user directory: tenants, users, credentials, MFA, roles and account lifecycle.',
  version: '0.1.0',
  loadConfig: loadIdentityBackendConfig,
  dataSourceOptions: identityDataSourceOptions,
  rootModule: (config) => AppModule.forRoot(config),
  // CORS for browser apps (SPAs, the console) on the API routes: the configured origins and the registered clients' ones.
  configureHttp: (app, config) => {
    const ttlMs = config.CORS_CACHE_SECONDS * 1000;
    const isAllowed = allowedOrigins({
      configured: config.CORS_ALLOWED_ORIGINS,
      registered: config.CORS_ALLOW_CLIENT_WEB_ORIGINS ? registeredOriginsAt(config.AUTHORIZATION_SERVER_URL) : null,
      ttlMs,
      negativeTtlMs: Math.max(5_000, ttlMs / 10),
    });
    app.use('/api/v1', corsMiddleware(isAllowed));
  },
};
