import { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * Validates the environment against a schema and returns the typed config,
 * or throws a ConfigError whose message fits on one line.
 */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(`Invalid configuration: ${describeIssues(result.error, env)}`);
}

function describeIssues(error: z.ZodError, env: NodeJS.ProcessEnv): string {
  return error.issues
    .map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      const got = value === undefined ? '' : ` (got ${JSON.stringify(truncate(value))})`;
      return `${name} ${issue.message}${got}`;
    })
    .join('; ');
}

/** Keeps messages on one line and never echoes a URL's password. */
function truncate(value: string): string {
  const redacted = value.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return redacted.length > 60 ? `${redacted.slice(0, 57)}...` : redacted;
}
