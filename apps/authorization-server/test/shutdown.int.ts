import { spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '@platform/local-infra';
import { createTestDatabase, type TestDatabase } from '@platform/testing';

const entry = join(__dirname, '../../../dist/apps/authorization-server/src/main.js');

/** A peer that accepts connections and never answers, so readiness probes of it hang until their timeout. */
function silentPeer(): Promise<{ url: string; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, sockets }),
    ),
  );
}

describe('graceful shutdown of the built service', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('authz_shutdown');
  });

  afterAll(async () => {
    await db?.drop();
  });

  let peer: Awaited<ReturnType<typeof silentPeer>>;

  afterEach(() => {
    peer?.sockets.forEach((s) => s.destroy());
    peer?.server.close();
  });

  it('finishes an in-flight request after SIGTERM, refuses new ones, and exits 0', async () => {
    peer = await silentPeer();
    const port = await freePort();
    const env = { PATH: process.env.PATH, DATABASE_URL: db.url, PORT: String(port), IDENTITY_BACKEND_URL: peer.url };
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, [entry, 'migrate'], { env }).once('exit', (c) =>
        c === 0 ? resolve() : reject(new Error(`migrate ${c}`)),
      ),
    );
    let output = '';
    const service = spawn(process.execPath, [entry, 'serve'], { env: { ...env, LOG_LEVEL: 'warn' } });
    service.stdout.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    // A first start generates a key per family (RSA included): give a busy machine time.
    for (let i = 0; i < 400 && !output.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('listening');

    // /health/ready waits ~1.5 s on the silent peer: a request that is in flight when SIGTERM lands.
    const started = Date.now();
    const inFlight = fetch(`${base}/health/ready`);
    await new Promise((r) => setTimeout(r, 300));
    service.kill('SIGTERM');

    // It completes (readiness may already answer 503 "shutting down", so balancers stop routing).
    const response = await inFlight;
    expect([200, 503]).toContain(response.status);
    await expect(response.json()).resolves.toHaveProperty('status');
    expect(Date.now() - started).toBeGreaterThan(1_000);
    await expect(exited).resolves.toBe(0);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
    expect(output).toContain('draining in-flight requests');
    expect(output).toContain('"msg":"stopped"');
  });

  it('stops by itself when the process that launched it is gone (PLATFORM_PARENT_PID): no orphan keeps its port', async () => {
    // A launcher that lives until the service is up, then dies without stopping it.
    const launcher = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)']);
    const port = await freePort();
    // A database of its own: the first test's signing keys are sealed with that process's ephemeral keyring.
    const own = await createTestDatabase('authz_orphan');
    const env = { PATH: process.env.PATH, DATABASE_URL: own.url, PORT: String(port), LOG_LEVEL: 'warn' };
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, [entry, 'migrate'], { env }).once('exit', (c) =>
        c === 0 ? resolve() : reject(new Error(`migrate ${c}`)),
      ),
    );
    const service = spawn(process.execPath, [entry, 'serve'], {
      env: { ...env, IDENTITY_BACKEND_URL: 'http://127.0.0.1:9', PLATFORM_PARENT_PID: String(launcher.pid) },
    });
    let output = '';
    service.stdout.on('data', (d) => (output += d));
    service.stderr.on('data', (d) => (output += d));
    for (let i = 0; i < 400 && !output.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('listening');
    launcher.kill('SIGKILL');
    const exited = new Promise<number | null>((resolve) =>
      service.once('exit', (code, signal) => resolve(code ?? (signal ? 143 : null))),
    );
    const outcome = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve('still running'), 30_000)),
    ]);
    if (outcome === 'still running') service.kill('SIGKILL');
    await own.drop();
    expect(outcome).not.toBe('still running');
  }, 45_000);
});
