/**
 * Authorization Server benchmark (loopback only, bounded in time and count). Each operation is
 * measured against a bare node-oidc-provider with an in-memory adapter and, where installed
 * (tools/bench/install-peers.sh), Keycloak and Ory Hydra on the same Postgres, in rounds of the same
 * run whose order rotates, so a busy spell of this shared machine hits every side alike; each is
 * printed as a ratio of ours to it: client-credentials ES256 JWT tokens/s (target >= 0.90 of bare),
 * opaque-token introspection/s without and with token_type_hint, refresh-token rotations/s (ours: a
 * real user re-checked with the identity backend) and password sign-ins/s through the token
 * endpoint (ours against the raw argon2id hash at the same cost, target >= 0.90). Also CPU ms per
 * operation, Postgres transactions per operation of ours (pg_stat_database deltas over a fixed
 * number of operations, the idle background rate subtracted) and each process's RSS after the
 * load, idle.
 * Run: bash tools/bench/authz.sh
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalPostgres } from '@platform/local-infra';
import {
  formatLoad,
  type LoadStats,
  measureLoad,
  postgresPids,
  processCpuMs as cpuMs,
  transactionsPerOperation,
} from '@platform/testing';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { Client } from 'pg';
import { type Peer, startHydra, startKeycloak } from './peers';
import { basic, introspector, refreshChains, tokenOk } from './requests';

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
/** Only these operations (comma-separated names: cc, introspection, introspectionHint, refresh, signIn); all by default. */
const ONLY = process.env.BENCH_OPERATIONS?.split(',').filter(Boolean);
/** A directory: our two services and the bare provider write V8 CPU profiles there (node --cpu-prof) on exit. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
/** The peers measured beside ours (BENCH_PEERS=keycloak,hydra, the default; 'none' for none). */
const PEERS = (process.env.BENCH_PEERS ?? 'keycloak,hydra')
  .split(',')
  .filter((p): p is 'keycloak' | 'hydra' => p === 'keycloak' || p === 'hydra');
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
 * One side of a comparison: its request and the processes its CPU time is charged to (`own`: the
 * server alone; `withDatabase`: with the services it calls and Postgres, the cost of the operation).
 */
interface Contender {
  name: string;
  run: () => Promise<boolean>;
  own: () => number[];
  withDatabase: () => number[];
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

interface Result {
  name: string;
  stats: LoadStats;
  /** Ours over this contender, per round (ours: 1). */
  perRound: number[];
  cpu: { own: CpuAccount; withDatabase: CpuAccount };
}

/**
 * Warm-up of every contender, then ROUNDS rounds of one slice each, the order rotating from round
 * to round (none always gets the fresher or the noisier moment); mean rate, median p50, worst p99.
 * The first contender is ours: every ratio is ours over the other.
 */
async function compare(contenders: Contender[]): Promise<Result[]> {
  const cpu: { own: CpuAccount; withDatabase: CpuAccount }[] = [];
  for (const c of contenders)
    cpu.push({ own: await cpuAccount(c.own), withDatabase: await cpuAccount(c.withDatabase) });
  for (const c of contenders) await measureLoad({ concurrency: CONCURRENCY, seconds: WARM_UP_SECONDS }, c.run);
  const rounds: LoadStats[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const slice = { concurrency: CONCURRENCY, seconds: SECONDS / ROUNDS };
    const stats: LoadStats[] = [];
    for (let k = 0; k < contenders.length; k++) {
      const i = (round + k) % contenders.length;
      stats[i] = await measured(slice, contenders[i]!.run, [cpu[i]!.own, cpu[i]!.withDatabase]);
    }
    rounds.push(stats);
  }
  return contenders.map((c, i) => ({
    name: c.name,
    stats: combined(rounds.map((r) => r[i]!)),
    perRound: rounds.map((r) => r[0]!.perSecond / r[i]!.perSecond),
    cpu: cpu[i]!,
  }));
}

/** Introspection of one token by one client: true when the answer is `active`. */
const introspection = (issuer: string, clientId: string, secret: string, token: string, hint?: string) =>
  introspector(`${issuer}${introspectPath(issuer)}`, { authorization: basic(clientId, secret) }, token)(hint);

/** Each worker refreshes a chain of its own: rotation means every refresh hands back the next token. */
const refresher = (issuer: string, authorization: string, chains: string[]) =>
  refreshChains(`${issuer}/token`, authorization, chains);

/** A sign-in through the token endpoint (password grant): true on 200 with an access token. */
const passwordSignIn = (issuer: string, authorization: string, username: string) => () =>
  tokenOk(`${issuer}/token`, authorization, {
    grant_type: 'password',
    username,
    password: BENCH_PASSWORD,
    scope: 'openid',
  });

/** Our server routes introspection at /tokens/introspect; the bare provider at its default, /token/introspection. */
const bareIssuers = new Set<string>();
const introspectPath = (issuer: string) => (bareIssuers.has(issuer) ? '/token/introspection' : '/tokens/introspect');

const pad = (label: string, width = 36) => label.padEnd(width);

/** The identity backend's default password hash (OWASP's argon2id floor), for the raw-hash side of sign-in. */
const OWASP_ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'authz-bench-'));
  const postgres = await startLocalPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    databases: ['authz', 'identity', 'keycloak', 'hydra'],
  });
  const children: ChildProcess[] = [];
  const peers: Peer[] = [];
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
    // The identity backend on its defaults (argon2id at OWASP's cost), which the sign-ins measure.
    const identityEnv = {
      DATABASE_URL: postgres.urlFor('identity'),
      PORT: String(identityPort),
      AUTHORIZATION_SERVER_URL: issuer,
      LOG_LEVEL: 'error',
    };
    const entry = join(__dirname, '../src/main.js');
    const identityEntry = join(__dirname, '../../identity-backend/src/main.js');
    await migrate(entry, env);
    await migrate(identityEntry, identityEnv);
    const server = await startProcess([entry, 'serve'], env, (l) => l.includes('listening'), 'authorization-server');
    children.push(server);
    // The identity backend answers the user re-check that every refresh makes (findAccount).
    const identity = await startProcess(
      [identityEntry, 'serve'],
      identityEnv,
      (l) => l.includes('listening'),
      'identity-backend',
    );
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
    const rawHash = await argon2Hash(BENCH_PASSWORD, OWASP_ARGON2ID);

    const pgDir = join(dir, 'pg');
    const withPostgres = (...pids: number[]) => [...pids, ...postgresPids(pgDir)];
    if (PEERS.length > 0) {
      const setup = {
        postgres: { port: postgres.port, password: decodeURIComponent(new URL(postgres.urlFor('x')).password) },
        secret: SECRET,
        chains: CONCURRENCY,
        password: BENCH_PASSWORD,
      };
      const starters = { keycloak: startKeycloak, hydra: startHydra } as const;
      for (const name of PEERS) {
        process.stderr.write(`[bench] starting ${name}\n`);
        const peer = await starters[name](setup);
        if (typeof peer === 'string') process.stdout.write(`${name}: ${peer}; left out\n`);
        else peers.push(peer);
      }
    }

    type Operation = 'cc' | 'introspection' | 'introspectionHint' | 'refresh' | 'signIn';
    const ours = (run: () => Promise<boolean>): Contender => ({
      name: 'ours',
      run,
      own: () => [server.pid!],
      withDatabase: () => withPostgres(server.pid!, identity.pid!),
    });
    const bare = (run: () => Promise<boolean>): Contender => ({
      name: 'bare',
      run,
      own: () => [bareServer.pid!],
      withDatabase: () => [bareServer.pid!],
    });
    const peer = (p: Peer, run: (() => Promise<boolean>) | undefined): Contender[] =>
      run ? [{ name: p.name, run, own: () => [p.pid()], withDatabase: () => withPostgres(p.pid()) }] : [];
    const operations: Record<Operation, { label: string; contenders: Contender[] }> = {
      cc: {
        label: 'client credentials (ES256 JWT)',
        contenders: [
          ours(tokenRequest(issuer, 'admin-cli', SECRET, 'identity.users.read', 'urn:identity-platform:identity-api')),
          bare(tokenRequest(bareIssuer, 'bench', SECRET, 'api.read', 'urn:bench-api')),
          ...peers.flatMap((p) => peer(p, p.cc)),
        ],
      },
      introspection: {
        label: 'introspection (opaque, no hint)',
        contenders: [
          ours(introspection(issuer, partner.clientId, partner.clientSecret, opaqueToken)),
          bare(introspection(bareIssuer, 'bench', SECRET, bareOpaqueToken)),
          ...peers.flatMap((p) => peer(p, p.introspection())),
        ],
      },
      introspectionHint: {
        label: 'introspection (hint access_token)',
        contenders: [
          ours(introspection(issuer, partner.clientId, partner.clientSecret, opaqueToken, 'access_token')),
          bare(introspection(bareIssuer, 'bench', SECRET, bareOpaqueToken, 'access_token')),
          ...peers.flatMap((p) => peer(p, p.introspection('access_token'))),
        ],
      },
      refresh: {
        label: 'refresh, rotating (user re-checked)',
        contenders: [
          ours(refresher(issuer, refreshTokens.authorization, refreshTokens.chains)),
          bare(refresher(bareIssuer, bareAuthorization, bareRefreshTokens)),
          ...peers.flatMap((p) => peer(p, p.refresh)),
        ],
      },
      signIn: {
        label: 'password sign-in (token endpoint)',
        contenders: [
          ours(passwordSignIn(issuer, refreshTokens.authorization, 'bench@bench.example')),
          // The raw hash: argon2id verifications at the identity backend's cost, in this process.
          {
            name: 'raw argon2id',
            run: () => argon2Verify(rawHash, BENCH_PASSWORD),
            own: () => [process.pid],
            withDatabase: () => [process.pid],
          },
          ...peers.flatMap((p) => peer(p, p.signIn)),
        ],
      },
    };
    const results = {} as Record<Operation, Result[]>;
    const transactions = {} as Record<Operation, Record<string, number>>;
    const measuredOperations = (Object.keys(operations) as Operation[]).filter((name) => !ONLY || ONLY.includes(name));
    for (const name of measuredOperations) {
      process.stderr.write(
        `[bench] ${operations[name].label}: ${operations[name].contenders.map((c) => c.name).join(', ')}\n`,
      );
      results[name] = await compare(operations[name].contenders);
      const task = operations[name].contenders[0]!.run;
      transactions[name] = await transactionsPerOperation(stats, ['authz', 'identity'], async () => {
        const load = await measureLoad({ concurrency: CONCURRENCY, seconds: 120, maxOps: COUNTED_OPS }, task);
        return load.count + load.errors;
      });
    }
    await sleep(IDLE_SECONDS * 1000);
    const idleRss = { server: rssMiB(server.pid!), identity: rssMiB(identity.pid!), bare: rssMiB(bareServer.pid!) };

    const write = (line: string) => process.stdout.write(`${line}\n`);
    write(
      `\nmachine: ${cpus().length} cores; concurrency ${CONCURRENCY}, keep-alive; per operation ${WARM_UP_SECONDS} s warm-up per contender, then ${ROUNDS} rounds in rotating order, ${SECONDS} s per contender; transactions over ${COUNTED_OPS} operations; service NODE_OPTIONS '${SERVICE_NODE_OPTIONS}'; peers: ${peers.map((p) => p.name).join(', ') || 'none'}`,
    );
    for (const name of measuredOperations) {
      const t = transactions[name];
      write(
        `\n${operations[name].label}   (Postgres xacts/op, ours: authz ${t.authz!.toFixed(2)}, identity ${t.identity!.toFixed(2)})`,
      );
      write(
        `  ${pad('contender', 14)} ${pad('rate, latency', 60)} ${pad('ours / it (per round)', 34)} CPU ms/op own, with Postgres`,
      );
      for (const r of results[name]) {
        const perRound =
          r.name === 'ours'
            ? ''
            : `${(results[name][0]!.stats.perSecond / r.stats.perSecond).toFixed(2)} (${r.perRound.map((x) => x.toFixed(2)).join(', ')})`;
        write(
          `  ${pad(r.name, 14)} ${pad(formatLoad(r.stats), 60)} ${pad(perRound, 34)} ${perOp(r.cpu.own).toFixed(3)}, ${perOp(r.cpu.withDatabase).toFixed(3)}`,
        );
      }
    }
    write(
      `\nRSS MiB cold -> idle ${IDLE_SECONDS} s after the load: authorization server ${coldRss.server.toFixed(0)} -> ${idleRss.server.toFixed(0)}, identity backend ${coldRss.identity.toFixed(0)} -> ${idleRss.identity.toFixed(0)}, bare provider ${coldRss.bare.toFixed(0)} -> ${idleRss.bare.toFixed(0)}${peers.map((p) => `, ${p.name} ${rssMiB(p.pid()).toFixed(0)}`).join('')}`,
    );
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
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
