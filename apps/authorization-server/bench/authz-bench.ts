/**
 * Authorization Server benchmark (loopback only, bounded): client-credentials JWT tokens/s
 * and p99 at fixed concurrency with keep-alive, opaque-token introspection/s, and the same
 * client-credentials load against a bare node-oidc-provider with an in-memory adapter,
 * printed as a ratio (target >= 0.8; absolute target >= 1,500 tokens/s, p99 < 50 ms), and
 * refresh-token rotations/s for a real user (each re-checked with the identity backend).
 * Run: bash tools/bench/authz.sh
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalPostgres } from '@platform/local-infra';
import { formatLoad, type LoadStats, measureLoad } from '@platform/testing';

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
const SECRET = 'benchmark-admin-cli-secret-0123456789abcdefgh';
const BENCH_PASSWORD = 'load test passphrase 2026 q';

function startProcess(
  args: string[],
  env: Record<string, string>,
  readyWhen: (line: string) => boolean,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH!, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (String(d).split('\n').some(readyWhen)) resolve(child);
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

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'authz-bench-'));
  const postgres = await startLocalPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    databases: ['authz', 'identity'],
  });
  const children: ChildProcess[] = [];
  try {
    const [port, identityPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${port}`;
    const identityUrl = `http://127.0.0.1:${identityPort}`;
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
      BCRYPT_COST: '4',
      LOG_LEVEL: 'error',
    };
    const entry = join(__dirname, '../src/main.js');
    const identityEntry = join(__dirname, '../../identity-backend/src/main.js');
    await migrate(entry, env);
    await migrate(identityEntry, identityEnv);
    children.push(await startProcess([entry, 'serve'], env, (l) => l.includes('listening')));
    // The identity backend answers the user re-check that every refresh makes (findAccount).
    children.push(await startProcess([identityEntry, 'serve'], identityEnv, (l) => l.includes('listening')));

    // An opaque-token API and a partner client for the introspection measurement.
    const admin = await clientCredentialsToken(
      issuer,
      'admin-cli',
      SECRET,
      'authz.clients.write authz.apis.write',
      'urn:identity-platform:authorization-api',
    );
    const manage = (path: string, body: unknown) =>
      fetch(`${issuer}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    await manage('/resource-servers', {
      identifier: 'urn:bench:opaque-api',
      name: 'Opaque',
      scopes: ['o.read'],
      tokenFormat: 'opaque',
    });
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

    const refreshTokens = await userRefreshTokens(issuer, identityUrl, manage, CONCURRENCY);

    let reported = false;
    const oursRequest = tokenRequest(
      issuer,
      'admin-cli',
      SECRET,
      'identity.users.read',
      'urn:identity-platform:identity-api',
    );
    const introspection = await measureLoad({ concurrency: CONCURRENCY, seconds: SECONDS }, async () => {
      const res = await fetch(`${issuer}/tokens/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: opaqueToken }),
      });
      const body = (await res.json()) as { active?: boolean };
      if (body.active !== true && !reported) {
        reported = true;
        process.stderr.write(`introspection answered ${res.status} ${JSON.stringify(body)}\n`);
      }
      return body.active === true;
    });
    // Each worker refreshes its own chain: rotation means every refresh hands back the next token.
    const refresh = await measureLoad({ concurrency: CONCURRENCY, seconds: SECONDS }, async () => {
      const chain = refreshTokens.chains.pop()!;
      try {
        const res = await fetch(`${issuer}/token`, {
          method: 'POST',
          headers: {
            authorization: refreshTokens.authorization,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chain }),
        });
        const body = (await res.json()) as { refresh_token?: string };
        if (body.refresh_token) refreshTokens.chains.push(body.refresh_token);
        else process.stderr.write(`refresh answered ${res.status} ${JSON.stringify(body)}\n`);
        return res.status === 200 && !!body.refresh_token;
      } catch (error) {
        refreshTokens.chains.push(chain);
        throw error;
      }
    });
    // The identity backend is not needed for client credentials: it stops; our server stays up, idle
    // while the bare provider is measured and vice versa.
    children.splice(1, 1)[0]!.kill('SIGTERM');

    const barePort = await freePort();
    children.push(
      await startProcess(
        [join(__dirname, 'bare-provider.js')],
        { PORT: String(barePort), CLIENT_SECRET: SECRET },
        (l) => l.includes('ready'),
      ),
    );
    const bareRequest = tokenRequest(`http://127.0.0.1:${barePort}`, 'bench', SECRET, 'api.read', 'urn:bench-api');
    await measureLoad({ concurrency: CONCURRENCY, seconds: WARM_UP_SECONDS }, oursRequest);
    await measureLoad({ concurrency: CONCURRENCY, seconds: WARM_UP_SECONDS }, bareRequest);
    // Alternating slices, so a slow or busy spell of this shared machine hits both sides alike.
    const rounds: { ours: LoadStats; bare: LoadStats }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const slice = { concurrency: CONCURRENCY, seconds: SECONDS / ROUNDS };
      rounds.push({ ours: await measureLoad(slice, oursRequest), bare: await measureLoad(slice, bareRequest) });
    }
    const ours = combined(rounds.map((r) => r.ours));
    const bare = combined(rounds.map((r) => r.bare));

    process.stdout.write(
      `\nmachine: ${cpus().length} cores; concurrency ${CONCURRENCY}, keep-alive, ${SECONDS} s per measurement (client credentials: ${ROUNDS} alternating rounds after ${WARM_UP_SECONDS} s of warm-up), ES256 JWTs\n`,
    );
    process.stdout.write(`client credentials (ours, Postgres):    ${formatLoad(ours)}\n`);
    process.stdout.write(`introspection (opaque token):          ${formatLoad(introspection)}\n`);
    process.stdout.write(`client credentials (bare, in-memory):  ${formatLoad(bare)}\n`);
    process.stdout.write(
      `ours / bare:                           ${(ours.perSecond / bare.perSecond).toFixed(2)} (target >= 0.80; per round: ${rounds
        .map((r) => (r.ours.perSecond / r.bare.perSecond).toFixed(2))
        .join(', ')})\n`,
    );
    process.stdout.write(`refresh, rotating (user re-checked):    ${formatLoad(refresh)}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((error: Error) => {
  process.stderr.write(`benchmark failed: ${error.stack}\n`);
  process.exit(1);
});
