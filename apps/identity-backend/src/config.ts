import { httpUrl, loadConfig, serviceConfigShape } from '@platform/config';
import { z } from 'zod';

const schema = z.object({
  ...serviceConfigShape(3001),
  AUTHORIZATION_SERVER_URL: httpUrl().default('http://127.0.0.1:3000'),
});

export type IdentityBackendConfig = z.output<typeof schema>;

export const loadIdentityBackendConfig = (env: NodeJS.ProcessEnv): IdentityBackendConfig => loadConfig(schema, env);
