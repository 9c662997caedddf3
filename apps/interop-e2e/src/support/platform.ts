import {
  consumerGroupAtTopicEnd,
  createMigratedTestDatabase,
  fetchJson,
  freePort,
  migrateBuiltService,
  startBuiltService,
  testKafkaBrokers,
} from '@platform/testing';

const AUTHZ_API = 'urn:identity-platform:authorization-api';
const IDENTITY_API = 'urn:identity-platform:identity-api';
const AUTHZ_ADMIN_SCOPES = 'platform.admin authz.clients.write authz.apis.write';
const IDENTITY_ADMIN_SCOPES = 'platform.admin identity.tenants.write identity.users.write';

/**
 * The built platform (both services, own databases, the shared test broker) as the interop suite
 * needs it: an issuer on 127.0.0.1 and the management calls a platform operator makes to register
 * the third-party software. Only HTTP; the boundary rules keep apps/platform-e2e's harness private.
 * The authorization server may fetch from loopback (the relying parties' jwks_uri, back-channel
 * logout) because every third-party process here runs on 127.0.0.1.
 */
export async function startPlatform(prefix: string) {
  const adminSecret = `admin-cli-${prefix}-0123456789abcdef0123456789`;
  const [authzPort, identityPort] = [await freePort(), await freePort()];
  const issuer = `http://127.0.0.1:${authzPort}`;
  const identityUrl = `http://127.0.0.1:${identityPort}`;
  const kafka = { KAFKA_BROKERS: testKafkaBrokers().join(',') };
  const consumerGroup = await consumerGroupAtTopicEnd(`interop-${prefix}`, ['identity.user.v1', 'identity.tenant.v1']);
  const authz = {
    entry: 'dist/apps/authorization-server/src/main.js',
    env: {
      ...kafka,
      ISSUER: issuer,
      IDENTITY_BACKEND_URL: identityUrl,
      BOOTSTRAP_ADMIN_CLI_SECRET: adminSecret,
      USER_EVENTS_CONSUMER_GROUP: consumerGroup,
      OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true',
    },
  };
  const identity = {
    entry: 'dist/apps/identity-backend/src/main.js',
    env: { ...kafka, AUTHORIZATION_SERVER_URL: issuer, BCRYPT_COST: '4' },
  };
  const [authzDb, identityDb] = await Promise.all(
    [authz, identity].map(({ entry, env }) =>
      createMigratedTestDatabase(
        `${prefix}_${entry.split('/')[2]}`,
        (url) => migrateBuiltService(entry, { ...env, DATABASE_URL: url }),
        entry,
      ),
    ),
  );
  // Side by side; whichever started is stopped when the other fails to.
  const starting = await Promise.allSettled([
    startBuiltService(authz.entry, { ...authz.env, DATABASE_URL: authzDb.url }, authzPort, { migrated: true }),
    startBuiltService(identity.entry, { ...identity.env, DATABASE_URL: identityDb.url }, identityPort, {
      migrated: true,
    }),
  ]);
  const services = starting.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = starting.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(services.map((s) => s.stop()));
    await Promise.all([authzDb.drop(), identityDb.drop()]);
    throw failed.reason;
  }

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const admin = async (base: string, resource: string, scope: string, path: string, body: unknown) => {
    const token = await fetchJson(`${issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic('admin-cli', adminSecret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
    });
    if (token.status !== 200) throw new Error(`admin token: ${token.status} ${JSON.stringify(token.body)}`);
    const res = await fetchJson(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.body.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  return {
    issuer,
    basic,
    /** A tenant with one user whose email is verified (what oauth2-proxy requires by default). */
    async createTenantUser(slug: string, email: string, password: string, name: string) {
      const tenant = await admin(identityUrl, IDENTITY_API, IDENTITY_ADMIN_SCOPES, '/api/v1/tenants', {
        slug,
        displayName: slug,
      });
      const user = await admin(identityUrl, IDENTITY_API, IDENTITY_ADMIN_SCOPES, '/api/v1/users', {
        tenantId: tenant.id,
        email,
        password,
        emailVerified: true,
        profile: { name },
      });
      return { tenantId: tenant.id as string, userId: user.id as string };
    },
    /** POST /api/v1/clients as the platform operator; the secret is shown once. */
    async createClient(registration: Record<string, unknown>): Promise<{ clientId: string; clientSecret: string }> {
      const body = await admin(issuer, AUTHZ_API, AUTHZ_ADMIN_SCOPES, '/api/v1/clients', registration);
      return { clientId: body.clientId, clientSecret: body.clientSecret };
    },
    /** A client-credentials access token for `resource` (client_secret_basic). */
    async clientCredentials(client: { clientId: string; clientSecret: string }, scope: string, resource: string) {
      const res = await fetchJson(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: basic(client.clientId, client.clientSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.access_token as string;
    },
    /** POST /api/v1/resource-servers as the platform operator. */
    createApi: (registration: Record<string, unknown>) =>
      admin(issuer, AUTHZ_API, AUTHZ_ADMIN_SCOPES, '/api/v1/resource-servers', registration),
    async stop() {
      await Promise.all(services.map((s) => s.stop()));
      await Promise.all([authzDb.drop(), identityDb.drop()]);
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;
