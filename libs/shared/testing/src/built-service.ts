import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@platform/local-infra';

export interface BuiltService {
  baseUrl: string;
  process: ChildProcess;
  /** SIGTERM and wait for the exit (a graceful shutdown). */
  stop(): Promise<void>;
}

/**
 * Runs a built service (`dist/.../main.js`) as its own process, the way operators run it:
 * `migrate`, then `serve` on 127.0.0.1, waiting until the service reports that it listens.
 */
export async function startBuiltService(
  entry: string,
  env: Record<string, string>,
  port: number,
): Promise<BuiltService> {
  const script = join(workspaceRoot(), entry);
  const fullEnv = {
    PATH: process.env.PATH!,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    // The service stops by itself when this test process is gone (a timed-out or killed run).
    PLATFORM_PARENT_PID: String(process.pid),
    ...env,
  };
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, [script, 'migrate'], { env: fullEnv, stdio: 'inherit' }).once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${entry} migrate exited with ${code}`)),
    ),
  );
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
