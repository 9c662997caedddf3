import { freePort } from '@platform/local-infra';
import {
  type BuiltService,
  createTestDatabase,
  fetchJson,
  startBuiltService,
  testKafkaBrokers,
  type TestDatabase,
} from '@platform/testing';

const SECRET = 'cross-service-admin-cli-secret-0123456789abcdef';

/** Both built services as separate processes, wired as in production: tokens from one, accepted by the other. */
describe('authorization server tokens accepted by the identity backend', () => {
  const services: BuiltService[] = [];
  const dbs: TestDatabase[] = [];
  let authz: string;
  let identity: string;

  beforeAll(async () => {
    const [authzDb, identityDb] = await Promise.all([createTestDatabase('x_authz'), createTestDatabase('x_identity')]);
    dbs.push(authzDb, identityDb);
    const [authzPort, identityPort] = [await freePort(), await freePort()];
    authz = `http://127.0.0.1:${authzPort}`;
    identity = `http://127.0.0.1:${identityPort}`;
    const shared = { KAFKA_BROKERS: testKafkaBrokers().join(',') };
    // Each migrates its empty database first, as an operator's first start does.
    const serve = async (entry: string, env: Record<string, string>, port: number) =>
      services.push(await startBuiltService(entry, env, port));
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
    await Promise.all(services.map((service) => service.stop()));
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
