import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@platform/local-infra';
import { fetchJson } from '@platform/testing';

const root = join(__dirname, '../..');
const entry = join(root, 'dist/tools/platform/start.js');

interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launch {
  let output = '';
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the run command on embedded defaults', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let ports: { identity: number; authz: number };

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
    dataDir = await mkdtemp(join(tmpdir(), 'idp-platform-'));
    ports = { identity: await freePort(), authz: await freePort() };
    // Nothing configured: the launcher must bring its own Postgres and Kafka.
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      IDENTITY_PORT: String(ports.identity),
      AUTHZ_PORT: String(ports.authz),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      EMBEDDED_KAFKA_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    // A failed run may leave the broker behind; stop it before removing its data.
    spawnSync('bash', [join(root, 'tools/kafka/kafka.sh'), 'stop', '--data-dir', join(dataDir, 'kafka')]);
    await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
  });

  it('brings both services to ready, stops cleanly on SIGTERM, and reuses its data on the next run', async () => {
    const first = launch(env);
    await waitFor(() => first.output().includes('[platform] ready:'), 'first start');
    for (const port of [ports.identity, ports.authz]) {
      const { status, body } = await fetchJson(`http://127.0.0.1:${port}/health/ready`);
      expect(status).toBe(200);
      expect(body.details.kafka).toMatchObject({ status: 'up', reachable: true });
    }
    expect(first.output()).toContain('applied migrations');
    first.child.kill('SIGTERM');
    await expect(first.exited).resolves.toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);

    const second = launch(env);
    await waitFor(() => second.output().includes('[platform] ready:'), 'second start');
    expect(second.output()).toContain('schema up to date');
    expect(second.output()).not.toContain('applied migrations');
    expect((await fetch(`http://127.0.0.1:${ports.authz}/health/ready`)).status).toBe(200);
    second.child.kill('SIGTERM');
    await expect(second.exited).resolves.toBe(0);
  }, 240_000);
});
