/**
 * Identity Backend benchmark (loopback only, bounded in count and time):
 *   - user lookup by id: p50/p99 latency and throughput
 *   - search by email prefix over 100k seeded users: p99
 *   - credential verification throughput as a ratio of raw bcrypt throughput at the same
 *     cost, both measured in this run (target >= 0.9)
 * Run: bash tools/bench/identity.sh
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as bcrypt from 'bcrypt';
import { freePort, startLocalPostgres } from '@platform/local-infra';
import { formatLoad, measureLoad, startService, TestTokenIssuer } from '@platform/testing';
import { Client } from 'pg';
import { PasswordHasher } from '../src/credentials/password-hasher';
import { identityBackend } from '../src/identity-backend';

const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const COST = Number(process.env.BENCH_BCRYPT_COST ?? 12);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PASSWORD = 'benchmark passphrase that is long';

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'identity-bench-'));
  const postgres = await startLocalPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), databases: ['bench'] });
  const issuer = await TestTokenIssuer.start();
  const service = await startService(identityBackend, {
    DATABASE_URL: postgres.urlFor('bench'),
    AUTHORIZATION_SERVER_URL: issuer.issuer,
    JWKS_URL: issuer.jwksUri,
    BCRYPT_COST: String(COST),
    LOG_LEVEL: 'error',
    LOGIN_IP_MAX_FAILURES: '1000000',
  });
  try {
    const admin = await issuer.mint({
      sub: 'bench',
      client_id: 'bench',
      aud: 'urn:identity-platform:identity-api',
      permissions: ['platform:admin', 'tenants:write', 'users:read'],
    });
    const tenant = (await (
      await fetch(`${service.baseUrl}/api/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'bench', displayName: 'Bench' }),
      })
    ).json()) as { id: string };

    process.stdout.write(`seeding ${USERS} users...\n`);
    const hash = await new PasswordHasher(COST).hash(PASSWORD);
    const db = new Client({ connectionString: postgres.urlFor('bench') });
    await db.connect();
    await db.query(
      `INSERT INTO users (tenant_id, email, email_canonical, password_hash, password_changed_at)
       SELECT $1, 'user' || n || '@example' || (n % 50) || '.com', 'user' || n || '@example' || (n % 50) || '.com', $2, now()
         FROM generate_series(1, $3) AS n`,
      [tenant.id, hash, USERS],
    );
    await db.query('ANALYZE users');
    const ids = (await db.query('SELECT id FROM users WHERE tenant_id = $1', [tenant.id])).rows.map(
      (r) => r.id as string,
    );
    await db.end();

    const reader = await issuer.mint({
      sub: 'reader',
      client_id: 'reader',
      aud: 'urn:identity-platform:identity-api',
      tenant_id: tenant.id,
      scope: 'identity.users.read',
    });
    const internal = await issuer.mint({
      sub: 'authz',
      client_id: 'authz',
      aud: 'urn:identity-platform:identity-api',
      scope: 'identity.internal',
    });
    const get = async (path: string, token: string) => {
      const res = await fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      await res.arrayBuffer();
    };

    const lookup = await measureLoad({ concurrency: 16, seconds: SECONDS, maxOps: 20_000 }, (i) =>
      get(`/api/v1/users/${ids[(i * 7919) % ids.length]}`, reader),
    );
    const search = await measureLoad({ concurrency: 8, seconds: SECONDS, maxOps: 5_000 }, (i) =>
      get(`/api/v1/users?limit=20&email=user${(i * 31) % 9999}`, reader),
    );

    // Same cost, same machine, same run: raw bcrypt vs the whole verification path.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const rawHash = hash.slice(hash.indexOf('$') + 1);
    const raw = await measureLoad({ concurrency: threads * 2, seconds: SECONDS, maxOps: 10_000 }, async () => {
      await bcrypt.compare('x'.repeat(44), rawHash);
    });
    const verify = await measureLoad({ concurrency: threads * 2, seconds: SECONDS, maxOps: 10_000 }, async (i) => {
      const res = await fetch(`${service.baseUrl}/internal/v1/credentials/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${internal}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          tenant: 'bench',
          login: `user${(i % USERS) + 1}@example${((i % USERS) + 1) % 50}.com`,
          password: PASSWORD,
          clientIp: '127.0.0.1',
        }),
      });
      if (res.status !== 200) throw new Error(`verify: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });

    process.stdout.write(
      `\nmachine: ${cpus().length} cores, bcrypt cost ${COST}, ${USERS} users, ${SECONDS} s per measurement\n`,
    );
    process.stdout.write(`user lookup by id:              ${formatLoad(lookup)}\n`);
    process.stdout.write(`search by email prefix (100k):  ${formatLoad(search)}\n`);
    process.stdout.write(`raw bcrypt compare:             ${formatLoad(raw)}\n`);
    process.stdout.write(`credential verification (HTTP): ${formatLoad(verify)}\n`);
    process.stdout.write(
      `verification / raw bcrypt:      ${(verify.perSecond / raw.perSecond).toFixed(2)} (target >= 0.90)\n`,
    );
  } finally {
    await service.close();
    await issuer.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

void main().catch((error: Error) => {
  process.stderr.write(`benchmark failed: ${error.stack}\n`);
  process.exit(1);
});
