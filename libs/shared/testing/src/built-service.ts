import { type ChildProcess, spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@platform/local-infra';

export interface BuiltService {
  baseUrl: string;
  process: ChildProcess;
  /** SIGTERM and wait for the exit (a graceful shutdown). */
  stop(): Promise<void>;
}

/** The environment a built service runs with in tests, on top of `env`. */
function serviceEnv(env: Record<string, string>, port?: number): Record<string, string> {
  return {
    PATH: process.env.PATH!,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...(port === undefined ? {} : { PORT: String(port) }),
    // The service stops by itself when this test process is gone (a timed-out or killed run).
    PLATFORM_PARENT_PID: String(process.pid),
    // Node's on-disk cache of compiled code: a service start compiles ~2,000 modules, a third of
    // its start-up CPU, and every suite starts several. Keyed by file contents, so a rebuild is safe.
    NODE_COMPILE_CACHE: join(homedir(), '.cache', 'identity-platform', 'node-compile-cache'),
    ...env,
  };
}

/** `main.js migrate` of a built service against `env.DATABASE_URL`. */
export function migrateBuiltService(entry: string, env: Record<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    spawn(process.execPath, [join(workspaceRoot(), entry), 'migrate'], { env: serviceEnv(env), stdio: 'inherit' }).once(
      'exit',
      (code) => (code === 0 ? resolve() : reject(new Error(`${entry} migrate exited with ${code}`))),
    ),
  );
}

/**
 * Runs a built service (`dist/.../main.js`) as its own process, the way operators run it:
 * `migrate` (unless its database was created migrated), then `serve` on 127.0.0.1, waiting until
 * the service reports that it listens.
 */
export async function startBuiltService(
  entry: string,
  env: Record<string, string>,
  port: number,
  { migrated = false }: { migrated?: boolean } = {},
): Promise<BuiltService> {
  if (!migrated) await migrateBuiltService(entry, env);
  const script = join(workspaceRoot(), entry);
  const fullEnv = serviceEnv(env, port);
  const child = spawn(process.execPath, [script, 'serve'], {
    env: fullEnv,
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) =>
      child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
    );
  // The service says itself that it listens (see service-cli's announceListening): a health check
  // alone was once answered by a parallel suite's service on the same port while this one had
  // failed with EADDRINUSE. Up to 120 s: at load average ~20 on 2 cores a start took longer than 30 s.
  const started = await new Promise<'listening' | 'exited' | 'timeout'>((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), 120_000);
    const done = (outcome: 'listening' | 'exited') => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (message: unknown) =>
      (message as { listening?: number } | null)?.listening === port && done('listening');
    const onExit = () => done('exited');
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
  if (started === 'exited') throw new Error(`${entry} exited with ${child.exitCode} while starting`);
  if (started === 'timeout') {
    await stop();
    throw new Error(`${entry} did not come up on port ${port}`);
  }
  child.channel?.unref();
  return { baseUrl, process: child, stop };
}
