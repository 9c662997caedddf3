/**
 * Authorization Server benchmark (loopback only, bounded in time and count). Each operation is
 * measured against a bare node-oidc-provider with an in-memory adapter in alternating rounds of
 * the same run, so a busy spell of this shared machine hits both sides alike, and printed as a
 * ratio: client-credentials JWT tokens/s (target >= 0.90), opaque-token introspection/s without
 * and with token_type_hint, refresh-token rotations/s (ours: a real user re-checked with the
 * identity backend). Also Postgres transactions per operation (pg_stat_database deltas over a
 * fixed number of operations, the idle background rate subtracted) and each process's RSS after
 * the load, idle.
 * Run: bash tools/bench/authz.sh
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalPostgres } from '@platform/local-infra';
import { formatLoad, type LoadStats, measureLoad, postgresPids, processCpuMs as cpuMs } from '@platform/testing';
import { Client } from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Unmeasured load before each client-credentials measurement: both servers compared warm (JIT, pools, caches). */
const WARM_UP_SECONDS = Number(process.env.BENCH_WARM_UP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

/** Rounds of one side as one figure: mean rate; median p50; the worst p99 (conservative). */
function combined(stats: LoadStats[]): LoadStats {
  const sorted = [...stats].sort((a, b) => a.p50 - b.p50);
  return {
    count: stats.reduce((sum, s) => sum + s.count, 0),
    errors: stats.reduce((sum, s) => sum + s.errors, 0),
    perSecond: stats.reduce((sum, s) => sum + s.perSecond, 0) / stats.length,
    p50: sorted[Math.floor(sorted.length / 2)]!.p50,
    p99: Math.max(...stats.map((s) => s.p99)),
  };
}
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
/** Operations per transaction count (each count is bounded: this many requests, then the stats settle). */
const COUNTED_OPS = Number(process.env.BENCH_COUNTED_OPS ?? 1_000);
/** Idle time after the load before RSS is read (V8 shrinks its heap a while after the last request). */
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
/** The services' V8 flags, as their Dockerfiles set them (docker/*.Dockerfile NODE_OPTIONS). */
const SERVICE_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? '';
/** Only these operations (comma-separated names: cc, introspection, introspectionHint, refresh); all by default. */
const ONLY = process.env.BENCH_OPERATIONS?.split(',').filter(Boolean);
/** A directory: our server and the bare provider write V8 CPU profiles there (node --cpu-prof) on exit. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const SECRET = 'benchmark-admin-cli-secret-0123456789abcdefgh';
const BENCH_PASSWORD = 'load test passphrase 2026 q';

function startProcess(
  args: string[],
  env: Record<string, string>,
  readyWhen: (line: string) => boolean,
  profileName?: string,
): Promise<ChildProcess & { readyLine?: string }> {
  const profile =
    PROFILE_DIR && profileName
      ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${profileName}.cpuprofile`]
      : [];
  return new Promise((resolve, reject) => {
    const child: ChildProcess & { readyLine?: string } = spawn(process.execPath, [...profile, ...args], {
      env: { PATH: process.env.PATH!, NODE_OPTIONS: SERVICE_NODE_OPTIONS, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += String(d);
      const line = buffered.split('\n').find(readyWhen);
      if (line !== undefined && child.readyLine === undefined) {
        child.readyLine = line;
        resolve(child);
      }
      if (buffered.length > 1_000_000) buffered = buffered.slice(-100_000);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

function migrate(entry: string, env: Record<string, string>): Promise<void> {
  return new Promise<void>((resolve, reject) =>
    spawn(process.execPath, [entry, 'migrate'], { env: { PATH: process.env.PATH!, ...env }, stdio: 'inherit' }).once(
      'exit',
      (c) => (c === 0 ? resolve() : reject(new Error(`${entry} migrate failed`))),
    ),
  );
}

/**
 * Refresh tokens of a real user, one per worker: a confidential client opted in to the password
 * grant (the quickest way to a refresh token without a browser) signs the user in `count` times.
 */
async function userRefreshTokens(
  issuer: string,
  identityUrl: string,
  manage: (path: string, body: unknown) => Promise<unknown>,
  count: number,
): Promise<{ authorization: string; chains: string[] }> {
  const operator = await clientCredentialsToken(
    issuer,
    'admin-cli',
    SECRET,
    'platform.admin identity.tenants.write identity.users.write',
    'urn:identity-platform:identity-api',
  );
  const asOperator = (path: string, body: unknown) =>
    fetch(`${identityUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<{ id: string }>);
  const tenant = await asOperator('/api/v1/tenants', { slug: 'bench', displayName: 'Bench' });
  const user = await asOperator('/api/v1/users', {
    tenantId: tenant.id,
    email: 'bench@bench.example',
    password: BENCH_PASSWORD,
  });
  if (!user.id) throw new Error(`bench user: ${JSON.stringify(user)} (tenant ${JSON.stringify(tenant)})`);
  const app = (await manage('/clients', {
    name: 'Bench app',
    type: 'confidential',
    tenantId: tenant.id,
    grantTypes: ['password', 'refresh_token'],
    scopes: ['openid', 'offline_access'],
  })) as { clientId: string; clientSecret: string };
  const authorization = `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`;
  const chains: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'bench@bench.example',
        password: BENCH_PASSWORD,
        scope: 'openid offline_access',
      }),
    });
    const body = (await res.json()) as { refresh_token?: string };
    if (!body.refresh_token)
      throw new Error(`password grant gave no refresh token: ${res.status} ${JSON.stringify(body)}`);
    chains.push(body.refresh_token);
  }
  return { authorization, chains };
}

const clientCredentials = (issuer: string, clientId: string, secret: string, scope: string, resource: string) =>
  fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
  });

/** One access token for setting the benchmark up (fails loudly). */
async function clientCredentialsToken(...args: Parameters<typeof clientCredentials>): Promise<string> {
  const body = (await (await clientCredentials(...args)).json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token for ${args[1]} failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** The measured request: a client-credentials token, its body read and dropped. */
const tokenRequest =
  (...args: Parameters<typeof clientCredentials>) =>
  async (): Promise<boolean> => {
    const res = await clientCredentials(...args);
    await res.arrayBuffer();
    return res.status === 200;
  };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident set size of a process, in MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) / 1024;
}

/**
 * Committed + rolled-back transactions of one database, read from another database's session
 * (so the reads do not count) once the backends have flushed their statistics: they do so at
 * most once a second, so the figure is read until it stops moving.
 */
async function settledTransactions(stats: Client, database: string): Promise<number> {
  const read = async () =>
    Number(
      (
        await stats.query('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [
          database,
        ])
      ).rows[0].n,
    );
  let last = await read();
  for (let i = 0; i < 24; i++) {
    await sleep(600);
    const now = await read();
    if (now === last && i >= 2) return now;
    last = now;
  }
  return last;
}

/** Transactions per operation in each database over `COUNTED_OPS` operations, the idle rate subtracted. */
async function transactionsPerOperation(
  stats: Client,
  databases: string[],
  task: () => Promise<boolean>,
): Promise<Record<string, number>> {
  const idleStart = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const idleStarted = performance.now();
  await sleep(2_000);
  const before = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const idlePerMs = before.map((b, i) => (b - idleStart[i]!) / (performance.now() - idleStarted));
  const started = performance.now();
  const load = await measureLoad({ concurrency: CONCURRENCY, seconds: 120, maxOps: COUNTED_OPS }, task);
  const after = await Promise.all(databases.map((d) => settledTransactions(stats, d)));
  const elapsed = performance.now() - started;
  const ops = load.count + load.errors;
  return Object.fromEntries(
    databases.map((d, i) => [d, Math.max(0, after[i]! - before[i]! - idlePerMs[i]! * elapsed) / ops]),
  );
}

interface Side {
  ours: () => Promise<boolean>;
  bare: () => Promise<boolean>;
}

/** The processes whose CPU time each side's operations are charged with. */
interface SidePids {
  /** Our authorization server alone. */
  server: () => number[];
  /** Our services and Postgres (its share is the database's cost of the operation). */
  ours: () => number[];
  bare: () => number[];
}

/** CPU ms spent beyond the idle rate and operations done, for one group of processes. */
interface CpuAccount {
  pids: () => number[];
  idleRate: number;
  ms: number;
  ops: number;
}

const perOp = (account: CpuAccount) => account.ms / account.ops;

/** CPU ms per wall ms the processes spend with no load (timers, pollers, Postgres' background work). */
async function idleCpuRate(pids: number[]): Promise<number> {
  const [cpu, started] = [cpuMs(pids), performance.now()];
  await sleep(2_000);
  return (cpuMs(pids) - cpu) / (performance.now() - started);
}

async function cpuAccount(pids: () => number[]): Promise<CpuAccount> {
  return { pids, idleRate: await idleCpuRate(pids()), ms: 0, ops: 0 };
}

/** One slice of load and the CPU time it made each account's processes spend beyond their idle rate. */
async function measured(
  slice: { concurrency: number; seconds: number },
  task: () => Promise<boolean>,
  accounts: CpuAccount[],
): Promise<LoadStats> {
  const pids = accounts.map((a) => a.pids());
  const before = pids.map(cpuMs);
  const started = performance.now();
  const stats = await measureLoad(slice, task);
  const elapsed = performance.now() - started;
  accounts.forEach((account, i) => {
    account.ms += cpuMs(pids[i]!) - before[i]! - account.idleRate * elapsed;
    account.ops += stats.count + stats.errors;
  });
  return stats;
}

interface Comparison {
  ours: LoadStats;
  bare: LoadStats;
  perRound: number[];
  cpu: { server: CpuAccount; ours: CpuAccount; bare: CpuAccount };
}

/** Warm-up of both sides, then ROUNDS alternating slices; mean rate, median p50, worst p99 per side. */
async function compare(side: Side, pids: SidePids): Promise<Comparison> {
  const cpu = {
    server: await cpuAccount(pids.server),
    ours: await cpuAccount(pids.ours),
    bare: await cpuAccount(pids.bare),
  };
  await measureLoad({ concurrency: CONCURRENCY, seconds: WARM_UP_SECONDS }, side.ours);
  await measureLoad({ concurrency: CONCURRENCY, seconds: WARM_UP_SECONDS }, side.bare);
  const rounds: { ours: LoadStats; bare: LoadStats }[] = [];
  const ours = (slice: { concurrency: number; seconds: number }) => measured(slice, side.ours, [cpu.server, cpu.ours]);
  const bare = (slice: { concurrency: number; seconds: number }) => measured(slice, side.bare, [cpu.bare]);
  for (let round = 0; round < ROUNDS; round++) {
    const slice = { concurrency: CONCURRENCY, seconds: SECONDS / ROUNDS };
    // Which side goes first alternates too: neither always gets the fresher (or the noisier) moment.
    if (round % 2 === 0) {
      const o = await ours(slice);
      rounds.push({ ours: o, bare: await bare(slice) });
    } else {
      const b = await bare(slice);
      rounds.push({ ours: await ours(slice), bare: b });
    }
  }
  return {
    ours: combined(rounds.map((r) => r.ours)),
    bare: combined(rounds.map((r) => r.bare)),
    perRound: rounds.map((r) => r.ours.perSecond / r.bare.perSecond),
    cpu,
  };
}

/** Introspection of one token by one client: true when the answer is `active`. */
function introspection(issuer: string, clientId: string, secret: string, token: string, hint?: string) {
  const authorization = `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
  let reported = false;
  return async (): Promise<boolean> => {
    const res = await fetch(`${issuer}${introspectPath(issuer)}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, ...(hint ? { token_type_hint: hint } : {}) }),
    });
    const body = (await res.json()) as { active?: boolean };
    if (body.active !== true && !reported) {
      reported = true;
      process.stderr.write(`introspection at ${issuer} answered ${res.status} ${JSON.stringify(body)}\n`);
    }
    return body.active === true;
  };
}

/** Our server routes introspection at /tokens/introspect; the bare provider at its default, /token/introspection. */
const bareIssuers = new Set<string>();
const introspectPath = (issuer: string) => (bareIssuers.has(issuer) ? '/token/introspection' : '/tokens/introspect');

/** Each worker refreshes a chain of its own: rotation means every refresh hands back the next token. */
function refresher(issuer: string, authorization: string, chains: string[]) {
  return async (): Promise<boolean> => {
    const chain = chains.pop()!;
    try {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chain }),
      });
      const body = (await res.json()) as { refresh_token?: string };
      if (body.refresh_token) chains.push(body.refresh_token);
      else process.stderr.write(`refresh at ${issuer} answered ${res.status} ${JSON.stringify(body)}\n`);
      return res.status === 200 && !!body.refresh_token;
    } catch (error) {
      chains.push(chain);
      throw error;
    }
  };
}

const ratio = (ours: LoadStats, bare: LoadStats) => (ours.perSecond / bare.perSecond).toFixed(2);
const pad = (label: string) => label.padEnd(34);

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'authz-bench-'));
  const postgres = await startLocalPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    databases: ['authz', 'identity'],
  });
  const children: ChildProcess[] = [];
  const stats = new Client({ connectionString: postgres.urlFor('postgres') });
  try {
    await stats.connect();
    const [port, identityPort, barePort] = [await freePort(), await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${port}`;
    const identityUrl = `http://127.0.0.1:${identityPort}`;
    const bareIssuer = `http://127.0.0.1:${barePort}`;
    bareIssuers.add(bareIssuer);
    const env = {
      DATABASE_URL: postgres.urlFor('authz'),
      PORT: String(port),
      ISSUER: issuer,
      IDENTITY_BACKEND_URL: identityUrl,
      BOOTSTRAP_ADMIN_CLI_SECRET: SECRET,
      LOG_LEVEL: 'error',
    };
    const identityEnv = {
      DATABASE_URL: postgres.urlFor('identity'),
      PORT: String(identityPort),
      AUTHORIZATION_SERVER_URL: issuer,
      // Setting up the refresh chains signs the user in CONCURRENCY times: the cheapest hash will do.
      BCRYPT_COST: '4',
      PASSWORD_HASH_ALGORITHM: 'bcrypt',
      LOG_LEVEL: 'error',
    };
    const entry = join(__dirname, '../src/main.js');
    const identityEntry = join(__dirname, '../../identity-backend/src/main.js');
    await migrate(entry, env);
    await migrate(identityEntry, identityEnv);
    const server = await startProcess([entry, 'serve'], env, (l) => l.includes('listening'), 'authorization-server');
    children.push(server);
    // The identity backend answers the user re-check that every refresh makes (findAccount).
    const identity = await startProcess([identityEntry, 'serve'], identityEnv, (l) => l.includes('listening'));
    children.push(identity);
    const bareServer = await startProcess(
      [join(__dirname, 'bare-provider.js')],
      { PORT: String(barePort), CLIENT_SECRET: SECRET, REFRESH_TOKENS: String(CONCURRENCY) },
      (l) => l.startsWith('ready'),
      'bare-provider',
    );
    children.push(bareServer);
    const bareRefreshTokens = (JSON.parse(bareServer.readyLine!.slice('ready '.length)) as { refreshTokens: string[] })
      .refreshTokens;
    const coldRss = { server: rssMiB(server.pid!), identity: rssMiB(identity.pid!), bare: rssMiB(bareServer.pid!) };

    // An opaque-token API and a partner client for the introspection measurement.
    const admin = await clientCredentialsToken(
      issuer,
      'admin-cli',
      SECRET,
      'platform.admin authz.clients.write authz.apis.write',
      'urn:identity-platform:authorization-api',
    );
    const manage = (path: string, body: unknown) =>
      fetch(`${issuer}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const api = (await manage('/resource-servers', {
      identifier: 'urn:bench:opaque-api',
      name: 'Opaque',
      scopes: ['o.read'],
      tokenFormat: 'opaque',
    })) as { identifier?: string };
    if (!api.identifier) throw new Error(`resource server registration failed: ${JSON.stringify(api)}`);
    const partner = (await manage('/clients', { name: 'Bench partner', type: 'service', scopes: ['o.read'] })) as {
      clientId: string;
      clientSecret: string;
    };
    if (!partner.clientSecret) throw new Error(`client registration failed: ${JSON.stringify(partner)}`);
    const opaqueToken = await clientCredentialsToken(
      issuer,
      partner.clientId,
      partner.clientSecret,
      'o.read',
      'urn:bench:opaque-api',
    );
    const bareOpaqueToken = await clientCredentialsToken(bareIssuer, 'bench', SECRET, 'o.read', 'urn:bench:opaque-api');
    const refreshTokens = await userRefreshTokens(issuer, identityUrl, manage, CONCURRENCY);
    const bareAuthorization = `Basic ${Buffer.from(`bench:${SECRET}`).toString('base64')}`;

    const operations = {
      cc: {
        ours: tokenRequest(issuer, 'admin-cli', SECRET, 'identity.users.read', 'urn:identity-platform:identity-api'),
        bare: tokenRequest(bareIssuer, 'bench', SECRET, 'api.read', 'urn:bench-api'),
      },
      introspection: {
        ours: introspection(issuer, partner.clientId, partner.clientSecret, opaqueToken),
        bare: introspection(bareIssuer, 'bench', SECRET, bareOpaqueToken),
      },
      introspectionHint: {
        ours: introspection(issuer, partner.clientId, partner.clientSecret, opaqueToken, 'access_token'),
        bare: introspection(bareIssuer, 'bench', SECRET, bareOpaqueToken, 'access_token'),
      },
      refresh: {
        ours: refresher(issuer, refreshTokens.authorization, refreshTokens.chains),
        bare: refresher(bareIssuer, bareAuthorization, bareRefreshTokens),
      },
    } satisfies Record<string, Side>;
    const labels: Record<keyof typeof operations, string> = {
      cc: 'client credentials (ES256 JWT)',
      introspection: 'introspection (opaque, no hint)',
      introspectionHint: 'introspection (hint access_token)',
      refresh: 'refresh, rotating (user re-checked)',
    };
    const results = {} as Record<keyof typeof operations, Awaited<ReturnType<typeof compare>>>;
    const transactions = {} as Record<keyof typeof operations, Record<string, number>>;
    const measuredOperations = (Object.keys(operations) as (keyof typeof operations)[]).filter(
      (name) => !ONLY || ONLY.includes(name),
    );
    const pgDir = join(dir, 'pg');
    // Ours: both services and Postgres (read afresh per slice: backends come and go); bare: its one process.
    const pids: SidePids = {
      server: () => [server.pid!],
      ours: () => [server.pid!, identity.pid!, ...postgresPids(pgDir)],
      bare: () => [bareServer.pid!],
    };
    for (const name of measuredOperations) {
      results[name] = await compare(operations[name], pids);
      transactions[name] = await transactionsPerOperation(stats, ['authz', 'identity'], operations[name].ours);
    }
    await sleep(IDLE_SECONDS * 1000);
    const idleRss = { server: rssMiB(server.pid!), identity: rssMiB(identity.pid!), bare: rssMiB(bareServer.pid!) };

    process.stdout.write(
      `\nmachine: ${cpus().length} cores; concurrency ${CONCURRENCY}, keep-alive; per operation ${WARM_UP_SECONDS} s warm-up per side, then ${ROUNDS} alternating rounds, ${SECONDS} s per side; transactions over ${COUNTED_OPS} operations; service NODE_OPTIONS '${SERVICE_NODE_OPTIONS}'\n`,
    );
    process.stdout.write(
      `${pad('operation')} ${'ours'.padEnd(46)} ${'bare (in-memory)'.padEnd(46)} ours/bare (per round)   Postgres xacts/op authz, identity\n`,
    );
    for (const name of measuredOperations) {
      const r = results[name];
      const t = transactions[name];
      const perRound = r.perRound.map((x) => x.toFixed(2)).join(', ');
      process.stdout.write(
        `${pad(labels[name])} ${formatLoad(r.ours).padEnd(46)} ${formatLoad(r.bare).padEnd(46)} ${ratio(r.ours, r.bare)} (${perRound})   ${t.authz!.toFixed(2)}, ${t.identity!.toFixed(2)}\n`,
      );
    }
    // The steadier figure on a shared machine: CPU per operation (all threads; idle rates subtracted).
    process.stdout.write(
      `\n${pad('CPU ms per operation')} ${'authz server'.padEnd(13)} ${'+ identity + Postgres'.padEnd(22)} ${'bare'.padEnd(7)} bare/authz server   bare/(services + Postgres)\n`,
    );
    for (const name of measuredOperations) {
      const { server: s, ours: o, bare: b } = results[name].cpu;
      process.stdout.write(
        `${pad(labels[name])} ${perOp(s).toFixed(3).padEnd(13)} ${perOp(o).toFixed(3).padEnd(22)} ${perOp(b).toFixed(3).padEnd(7)} ${(perOp(b) / perOp(s)).toFixed(2).padEnd(18)} ${(perOp(b) / perOp(o)).toFixed(2)}\n`,
      );
    }
    process.stdout.write(
      `RSS MiB cold -> idle ${IDLE_SECONDS} s after the load: authorization server ${coldRss.server.toFixed(0)} -> ${idleRss.server.toFixed(0)}, identity backend ${coldRss.identity.toFixed(0)} -> ${idleRss.identity.toFixed(0)}, bare provider ${coldRss.bare.toFixed(0)} -> ${idleRss.bare.toFixed(0)}\n`,
    );
  } finally {
    // Each child ends before Postgres does (and writes its CPU profile, when asked to).
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(resolve, 15_000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    await stats.end().catch(() => undefined);
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((error: Error) => {
  process.stderr.write(`benchmark failed: ${error.stack}\n`);
  process.exit(1);
});
