import { ConfigError, type ServiceConfig } from '@platform/config';
import { runMigrations } from '@platform/database';
import { shutdownTracing } from '@platform/tracing';
import { createServiceApp } from './create-service-app';
import type { ServiceDefinition } from './service-definition';

/**
 * Entry point of every service binary: `migrate` applies migrations and exits,
 * `serve` (default) starts HTTP and drains gracefully on SIGTERM/SIGINT.
 * Start-up failures end the process with one explanatory line, not a stack trace.
 */
export async function runServiceCli<C extends ServiceConfig>(
  definition: ServiceDefinition<C>,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  const command = argv[0] ?? 'serve';
  exitWithParent(process.env.PLATFORM_PARENT_PID);
  try {
    const config = definition.loadConfig(process.env);
    if (command === 'migrate') {
      const applied = await runMigrations(definition.dataSourceOptions(config));
      logLine(
        definition.name,
        'info',
        applied.length ? `applied migrations: ${applied.join(', ')}` : 'schema up to date',
      );
    } else if (command === 'serve') {
      await serve(definition, config);
    } else {
      fail(definition.name, `unknown command "${command}" (expected "serve" or "migrate")`, 2);
    }
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message : `cannot start: ${(error as Error).message}`;
    fail(definition.name, reason.split('\n')[0] ?? reason, 1);
  }
}

async function serve<C extends ServiceConfig>(definition: ServiceDefinition<C>, config: C): Promise<void> {
  const app = await createServiceApp(definition, config);
  await app.listen(config.PORT, config.HOST);
  logLine(definition.name, 'info', `listening on http://${config.HOST}:${config.PORT}`);
  announceListening(config.PORT);

  let stopping = false;
  const drain = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logLine(definition.name, 'info', `${signal} received: draining in-flight requests`);
    setTimeout(() => {
      logLine(definition.name, 'warn', `still busy after ${config.SHUTDOWN_GRACE_MS} ms: exiting anyway`);
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS).unref();
    app
      .close()
      // Spans of the last requests still buffered: export them (best effort) before the process ends.
      .then(() => shutdownTracing().catch(() => undefined))
      .then(
        () => logLine(definition.name, 'info', 'stopped'),
        (error: Error) => fail(definition.name, `shutdown failed: ${error.message}`, 1),
      );
  };
  process.once('SIGTERM', drain);
  process.once('SIGINT', drain);
}

/**
 * A launcher that spawned this process with an IPC channel (the test harness) learns from the
 * process itself that it listens: a health check alone can be answered by another process that
 * holds the port while this one failed with EADDRINUSE.
 */
function announceListening(port: number): void {
  if (!process.send) return;
  process.send({ listening: port });
  // The channel must not keep a draining service alive.
  process.channel?.unref();
}

/**
 * Launchers (`npm start`, the test harness) name themselves in PLATFORM_PARENT_PID: when that
 * process is gone — killed, crashed, a test run that timed out — the service stops as on SIGTERM
 * instead of living on as an orphan holding its port.
 */
function exitWithParent(parentPid: string | undefined): void {
  const pid = Number(parentPid);
  if (!Number.isInteger(pid) || pid <= 1) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const timer = setInterval(() => {
    if (alive()) return;
    clearInterval(timer);
    // Draining if serving (the SIGTERM handler), else the default: the process ends.
    process.kill(process.pid, 'SIGTERM');
  }, 1_000);
  timer.unref();
}

function logLine(service: string, level: 'info' | 'warn' | 'error', msg: string): void {
  process.stdout.write(`${JSON.stringify({ level, time: Date.now(), name: service, msg })}\n`);
}

function fail(service: string, reason: string, exitCode: number): never {
  process.stderr.write(`${service}: ${reason}\n`);
  process.exit(exitCode);
}
