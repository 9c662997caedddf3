import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
export type ServiceName = 'identity-backend' | 'authorization-server';

/**
 * Environment variables a service reads: the keys of its zod schema (apps/<service>/src/config.ts),
 * of the shared service settings and of the tracing settings. Deployment files may set only these, so a typo or a
 * renamed variable fails a test instead of being silently ignored at run time.
 */
export function serviceConfigKeys(service: ServiceName): Set<string> {
  const keys = new Set<string>();
  for (const file of [
    join(root, 'apps', service, 'src/config.ts'),
    join(root, 'libs/shared/config/src/service-config.ts'),
    // TRACING_ENABLED and the OTEL_* settings both services read.
    join(root, 'libs/shared/tracing/src/tracing-config.ts'),
  ]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)) keys.add(match[1]!);
  }
  return keys;
}
