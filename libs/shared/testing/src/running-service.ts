import type { INestApplication } from '@nestjs/common';
import type { ServiceConfig } from '@platform/config';
import { runMigrations } from '@platform/database';
import { createServiceApp, type ServiceDefinition } from '@platform/runtime';

export interface RunningService {
  baseUrl: string;
  app: INestApplication;
  close(): Promise<void>;
}

/**
 * Boots a real service the way `serve` does (config from env, migrations applied,
 * HTTP on 127.0.0.1 with an ephemeral port), so tests talk to it over HTTP.
 */
export async function startService<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  env: NodeJS.ProcessEnv,
  options: { migrate?: boolean; port?: number } = {},
): Promise<RunningService> {
  const config = definition.loadConfig({ LOG_LEVEL: 'warn', ...env, HOST: '127.0.0.1' });
  if (options.migrate !== false) await runMigrations(definition.dataSourceOptions(config));
  const app = await createServiceApp(definition, config);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { baseUrl: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}
