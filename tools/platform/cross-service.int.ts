import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@platform/local-infra';
import { createTestDatabase, fetchJson, testKafkaBrokers, type TestDatabase } from '@platform/testing';

const root = join(__dirname, '../..');
const SECRET = 'cross-service-admin-cli-secret-0123456789abcdef';

/** Both built services as separate processes, wired as in production: tokens from one, accepted by the other. */
describe('authorization server tokens accepted by the identity backend', () => {
  const children: ChildProcess[] = [];
  const dbs: TestDatabase[] = [];
  let authz: string;
  let identity: string;

  async function serve(entry: string, env: Record<string, string>, port: number) {
    const base = { PATH: process.env.PATH!, LOG_LEVEL: 'warn', PORT: String(port), ...env };
    await new Promise<void>((resolve, reject) =>
      spawn(process.execPath, [join(root, entry), 'migrate'], { env: base, stdio: 'inherit' }).once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${entry} migrate: ${code}`)),
      ),
    );
    const child = spawn(process.execPath, [join(root, entry), 'serve'], { env: base, stdio: 'inherit' });
    children.push(child);
    for (let i = 0; i < 200; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => null))?.ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${entry} did not come up`);
  }

  beforeAll(async () => {
    const [authzDb, identityDb] = await Promise.all([createTestDatabase('x_authz'), createTestDatabase('x_identity')]);
    dbs.push(authzDb, identityDb);
    const [authzPort, identityPort] = [await freePort(), await freePort()];
    authz = `http://127.0.0.1:${authzPort}`;
    identity = `http://127.0.0.1:${identityPort}`;
    const shared = { KAFKA_BROKERS: testKafkaBrokers().join(',') };
    await serve(
      'dist/apps/authorization-server/src/main.js',
      {
        ...shared,
        DATABASE_URL: authzDb.url,
        ISSUER: authz,
        IDENTITY_BACKEND_URL: identity,
        BOOTSTRAP_ADMIN_CLI_SECRET: SECRET,
      },
      authzPort,
    );
    await serve(
      'dist/apps/identity-backend/src/main.js',
      { ...shared, DATABASE_URL: identityDb.url, AUTHORIZATION_SERVER_URL: authz, BCRYPT_COST: '4' },
      identityPort,
    );
  });

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) =>
            c.exitCode !== null ? resolve() : (c.once('exit', () => resolve()), c.kill('SIGTERM')),
          ),
      ),
    );
    await Promise.all(dbs.map((db) => db.drop()));
  });

  async function token(scope: string): Promise<string> {
    const res = await fetchJson(`${authz}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin-cli:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope,
        resource: 'urn:identity-platform:identity-api',
      }),
    });
    expect(res.status).toBe(200);
    return res.body.access_token;
  }

  it('lets an operator bootstrap a tenant and a user with admin-cli tokens, and scopes are enforced', async () => {
    const admin = await token(
      'platform.admin identity.tenants.write identity.tenants.read identity.users.write identity.users.read',
    );
    const auth = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    const tenant = await fetchJson(`${identity}/api/v1/tenants`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ slug: 'acme', displayName: 'Acme' }),
    });
    expect(tenant.status).toBe(201);
    const user = await fetchJson(`${identity}/api/v1/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ email: 'first@acme.example', tenantId: tenant.body.id }),
    });
    expect(user.status).toBe(201);

    const readOnly = await token('identity.users.read');
    const refused = await fetchJson(`${identity}/api/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${readOnly}`, 'content-type': 'application/json' },
      body: JSON.stringify({ slug: 'nope', displayName: 'Nope' }),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('insufficient_scope');
  });

  it("reports each service up in the other one's health details", async () => {
    const fromIdentity = await fetchJson(`${identity}/health/ready`);
    expect(fromIdentity.body.details['authorization-server']).toMatchObject({ status: 'up' });
    const fromAuthz = await fetchJson(`${authz}/health/ready`);
    expect(fromAuthz.body.details['identity-backend']).toMatchObject({ status: 'up' });
  });
});
