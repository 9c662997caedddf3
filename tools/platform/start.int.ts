import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
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

/** Every launcher a test started: stopped after the suite even when a test failed half-way. */
const launched: ChildProcess[] = [];

function launch(env: NodeJS.ProcessEnv): Launch {
  let output = '';
  const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  launched.push(child);
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

function stopLauncher(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => (clearTimeout(killer), resolve()));
    child.kill('SIGTERM');
  });
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
    // A launcher a failed test left running (a loaded run once timed out waiting for the second
    // start, and that launcher and its two services outlived the run): SIGTERM, then SIGKILL.
    await Promise.all(
      launched.filter((child) => child.exitCode === null && child.signalCode === null).map(stopLauncher),
    );
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

  it.each([
    ['EMBEDDED_POSTGRES_PORT', 'embedded Postgres'],
    ['IDENTITY_PORT', 'identity-backend'],
  ])(
    'a taken %s stops the launcher with one line naming the port and the variable',
    async (variable, what) => {
      const server: Server = createServer();
      const port = await new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
      );
      try {
        const run = launch({ ...env, DATA_DIR: join(dataDir, `taken-${variable}`), [variable]: String(port) });
        await expect(run.exited).resolves.toBe(1);
        expect(run.output()).toContain(
          `[platform] failed: port ${port} (${what}) is already in use on 127.0.0.1: stop what listens there, or set ${variable} to a free port`,
        );
        expect(run.output()).not.toMatch(/TypeError|at .*\.js:\d+/);
      } finally {
        server.close();
      }
    },
    120_000,
  );

  // Only root hands Postgres to a dedicated OS user; as anyone else the cluster runs as the caller.
  (process.getuid?.() === 0 ? it : it.skip)(
    'as root, a data directory the postgres OS user cannot reach stops the launcher with one line saying why',
    async () => {
      const closed = join(dataDir, 'closed');
      await mkdir(closed, { mode: 0o700 });
      await chmod(closed, 0o700);
      const run = launch({ ...env, DATA_DIR: join(closed, 'data') });
      await expect(run.exited).resolves.toBe(1);
      expect(run.output()).toContain(
        `[platform] failed: embedded Postgres runs as the "postgres" OS user, which cannot enter ${closed} (mode 700)`,
      );
      expect(run.output()).not.toMatch(/EACCES|TypeError/);
    },
    120_000,
  );
});
