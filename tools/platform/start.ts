import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  assertPortFree,
  javaAvailable,
  startLocalKafka,
  startLocalPostgres,
  workspaceRoot,
  type LocalKafka,
  type LocalPostgres,
} from '@platform/local-infra';
import { Keyring, randomToken } from '@platform/crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { platformServices, type PlatformService } from './services';

/**
 * `npm start`: runs the whole platform on embedded defaults. Postgres and Kafka are
 * started locally (data under .data/, kept between runs) unless the environment
 * points at real ones; then each service is migrated and started.
 */
const root = workspaceRoot();
const env = process.env;
const dataDir = env.DATA_DIR ?? join(root, '.data');
const say = (msg: string) => process.stderr.write(`[platform] ${msg}\n`);

async function main(): Promise<void> {
  const services = platformServices(env);
  const stops: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let shuttingDown = false;

  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    say('stopping...');
    await Promise.all(children.map(stopChild));
    for (const stop of stops.reverse()) await stop().catch((e: Error) => say(`stop failed: ${e.message}`));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    for (const service of services) await assertPortFree(service.port, service.name, service.portVar);
    const databaseUrls = await resolveDatabases(services, stops);
    const brokers = await resolveKafka(stops);
    const dataEncryptionKeys =
      env.DATA_ENCRYPTION_KEYS ?? (await localSecret('data-encryption-keys', () => Keyring.generateSpec('local1')));
    const adminCliSecret =
      env.BOOTSTRAP_ADMIN_CLI_SECRET ?? (await localSecret('admin-cli-secret', () => randomToken(32)));
    const adminPassword = env.BOOTSTRAP_ADMIN_PASSWORD ?? (await localSecret('admin-password', () => randomToken(18)));
    // The first platform administrator, in the operators' tenant (the admin console's operator).
    const operatorPassword =
      env.BOOTSTRAP_OPERATOR_PASSWORD ?? (await localSecret('operator-password', () => randomToken(18)));
    for (const service of services) {
      const serviceEnv = {
        ...env,
        PORT: String(service.port),
        DATABASE_URL: databaseUrls[service.name],
        KAFKA_BROKERS: brokers,
        DATA_ENCRYPTION_KEYS: dataEncryptionKeys,
        BOOTSTRAP_ADMIN_CLI_SECRET: adminCliSecret,
        BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        BOOTSTRAP_OPERATOR_PASSWORD: operatorPassword,
        ISSUER: env.ISSUER ?? `http://127.0.0.1:${services[1].port}`,
        IDENTITY_BACKEND_URL: env.IDENTITY_BACKEND_URL ?? `http://127.0.0.1:${services[0].port}`,
        AUTHORIZATION_SERVER_URL: env.AUTHORIZATION_SERVER_URL ?? `http://127.0.0.1:${services[1].port}`,
        // A launcher killed outright (SIGKILL) leaves no service behind.
        PLATFORM_PARENT_PID: String(process.pid),
      };
      await migrate(service, serviceEnv);
      const child = spawn(process.execPath, [join(root, service.entry), 'serve'], {
        env: serviceEnv,
        stdio: 'inherit',
      });
      child.once('exit', (code, signal) => {
        if (!shuttingDown) {
          say(`${service.name} exited (${signal ?? code}); stopping the platform`);
          void shutdown(1);
        }
      });
      children.push(child);
    }
    await Promise.all(services.map((s) => waitReady(s)));
    say('ready:');
    for (const s of services) {
      say(`  ${s.name.padEnd(22)} http://127.0.0.1:${s.port}   (OpenAPI: http://127.0.0.1:${s.port}/api/docs)`);
    }
    say(`  data directory         ${dataDir}`);
    say(
      `  admin-cli secret       ${join(dataDir, 'secrets', 'admin-cli-secret')} (client credentials for the admin API)`,
    );
    // First sign-in to the admin console: both passwords are temporary (changed at the first sign-in).
    say(`  admin console          ${env.ISSUER ?? `http://127.0.0.1:${services[1].port}`}/console/`);
    say(
      `    platform operator    tenant "${env.PLATFORM_OPERATORS_TENANT ?? 'platform'}", ${env.BOOTSTRAP_OPERATOR_EMAIL ?? 'operator@example.com'}, temporary password ${firstRunPassword('operator-password', env.BOOTSTRAP_OPERATOR_PASSWORD)}`,
    );
    say(
      `    tenant administrator tenant "default", ${env.BOOTSTRAP_ADMIN_EMAIL ?? 'admin@example.com'}, temporary password ${firstRunPassword('admin-password', env.BOOTSTRAP_ADMIN_PASSWORD)}`,
    );
    say('press Ctrl+C to stop');
  } catch (error) {
    say(`failed: ${describe(error)}`);
    await shutdown(1);
  }
}

async function resolveDatabases(services: PlatformService[], stops: (() => Promise<void>)[]) {
  const urls: Record<string, string> = {};
  const missing = services.filter((s) => !env[s.databaseUrlVar]);
  let postgres: LocalPostgres | undefined;
  if (missing.length > 0) {
    const port = Number(env.EMBEDDED_POSTGRES_PORT ?? 55432);
    await assertPortFree(port, 'embedded Postgres', 'EMBEDDED_POSTGRES_PORT');
    say(`starting embedded Postgres on 127.0.0.1:${port} (data: ${join(dataDir, 'postgres')})`);
    postgres = await startLocalPostgres({
      dataDir: join(dataDir, 'postgres'),
      port,
      databases: missing.map((s) => s.database),
    });
    stops.push(() => postgres!.stop());
  }
  for (const s of services) urls[s.name] = env[s.databaseUrlVar] ?? postgres!.urlFor(s.database);
  return urls;
}

async function resolveKafka(stops: (() => Promise<void>)[]): Promise<string> {
  if (env.KAFKA_BROKERS) return env.KAFKA_BROKERS;
  if (!(await javaAvailable())) {
    say('WARNING: no Java runtime found, running without Kafka: events stay in the outbox until KAFKA_BROKERS is set');
    return '';
  }
  const port = Number(env.EMBEDDED_KAFKA_PORT ?? 59092);
  say(`starting Kafka (KRaft) on 127.0.0.1:${port} (data: ${join(dataDir, 'kafka')})`);
  // No port check up front: a broker of this data directory left running is reused.
  const kafka: LocalKafka = await startLocalKafka({ dataDir: join(dataDir, 'kafka'), port }).catch((error: Error) => {
    throw /already in use/.test(error.message)
      ? new Error(
          `port ${port} (embedded Kafka) is already in use on 127.0.0.1: stop what listens there, or set EMBEDDED_KAFKA_PORT to a free port`,
        )
      : error;
  });
  stops.push(() => kafka.stop());
  return kafka.brokers.join(',');
}

/** Local secrets generated by this run (their value may be shown once). */
const generatedNow = new Map<string, string>();

/** A bootstrap password for the ready message: shown when generated now, else where it is kept. */
function firstRunPassword(name: string, fromEnv: string | undefined): string {
  if (fromEnv) return 'from the environment';
  const value = generatedNow.get(name);
  const file = join(dataDir, 'secrets', name);
  return value ? `${value} (kept in ${file})` : `in ${file}`;
}

/** A local secret generated on first run and kept (0600) with the data it protects. */
async function localSecret(name: string, generate: () => string): Promise<string> {
  const file = join(dataDir, 'secrets', name);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing) return existing.trim();
  await mkdir(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const value = generate();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  generatedNow.set(name, value);
  say(`generated ${file}`);
  return value;
}

function migrate(service: PlatformService, serviceEnv: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, service.entry), 'migrate'], {
      env: serviceEnv,
      stdio: 'inherit',
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${service.name} migrate exited with ${code}`)),
    );
  });
}

async function waitReady(service: PlatformService, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${service.port}/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${service.name} not ready after ${timeoutMs} ms`);
}

/** Some libraries reject with non-Error values (embedded-postgres with undefined); never crash on those. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return error === undefined ? 'unknown error (see the lines above)' : String(error);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

void main();
