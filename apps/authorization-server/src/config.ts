import { httpUrl, loadConfig, serviceConfigShape } from '@platform/config';
import { z } from 'zod';

const schema = z.object({
  ...serviceConfigShape(3000),
  /** Public base URL of this server; the OIDC issuer identifier. */
  ISSUER: httpUrl().default('http://127.0.0.1:3000'),
  IDENTITY_BACKEND_URL: httpUrl().default('http://127.0.0.1:3001'),
});

export type AuthorizationServerConfig = z.output<typeof schema>;

export const loadAuthorizationServerConfig = (env: NodeJS.ProcessEnv): AuthorizationServerConfig =>
  loadConfig(schema, env);
