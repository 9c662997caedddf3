import { randomUUID } from 'node:crypto';
import {
  type BuiltService,
  consumerGroupAtTopicEnd,
  createMigratedTestDatabase,
  fetchJson,
  fetchJsonWithBearer,
  freePort,
  Keyring,
  migrateBuiltService,
  RoundRobinProxy,
  startBuiltService,
  suiteFixture,
  testKafkaBrokers,
} from '@platform/testing';

export const IDENTITY_API = 'urn:identity-platform:identity-api';
export const AUTHZ_API = 'urn:identity-platform:authorization-api';

const ADMIN_SCOPES = [
  'platform.admin',
  'identity.tenants.write',
  'identity.tenants.read',
  'identity.users.write',
  'identity.users.read',
  'identity.roles.write',
  'identity.roles.read',
  'identity.idps.write',
  'identity.idps.read',
].join(' ');
/** Every management scope of the authorization server's admin API that admin-cli holds (sessions: also users' trusted devices). */
const AUTHZ_ADMIN_SCOPES =
  'authz.clients.read authz.clients.write authz.apis.read authz.apis.write authz.keys.read authz.keys.write authz.apikeys.read authz.apikeys.write authz.claims.read authz.claims.write authz.sessions.read authz.sessions.write';

export interface ClientRegistration {
  name: string;
  type: 'confidential' | 'spa' | 'native' | 'service';
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  trusted?: boolean;
  tenantId?: string;
  [more: string]: unknown;
}

const AUTHZ_ENTRY = 'dist/apps/authorization-server/src/main.js';
const IDENTITY_ENTRY = 'dist/apps/identity-backend/src/main.js';

/** A database with the service's schema, copied from the run's template for that service. */
const migratedDatabase = (name: string, entry: string, env: Record<string, string>) =>
  createMigratedTestDatabase(name, (url) => migrateBuiltService(entry, { ...env, DATABASE_URL: url }), entry);

/** The cheapest password hashes (bcrypt 4, argon2id 1 MiB × 1), for tests' sign-ins; production defaults are OWASP's. */
export const FAST_PASSWORD_HASHES = { BCRYPT_COST: '4', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1' };

/**
 * Both services as built processes on their own databases, wired as in production: the
 * identity backend trusts the authorization server's JWKS, the authorization server calls
 * the backend's internal API with its own service tokens. Everything else is HTTP.
 */
export async function startPlatform(
  prefix: string,
  env: { authz?: Record<string, string>; identity?: Record<string, string> } = {},
  /**
   * Replicas of each service (default 1). With more, each service's replicas share its database
   * and sit behind a per-request round-robin proxy whose URL is the service's public one (the
   * issuer, the backend URL), as behind a Kubernetes Service.
   * `issuerHost` names the authorization server in its issuer (default 127.0.0.1): `localhost` for
   * WebAuthn, which refuses IP-address origins.
   */
  { replicas = 1, issuerHost = '127.0.0.1' }: { replicas?: number; issuerHost?: string } = {},
) {
  const adminCliSecret = `admin-cli-${prefix}-0123456789abcdef0123456789`;
  const ports = async () => Promise.all(Array.from({ length: replicas }, () => freePort()));
  const [authzPorts, identityPorts] = [await ports(), await ports()];
  const proxies =
    replicas > 1
      ? {
          authz: await RoundRobinProxy.start(authzPorts.map((p) => `http://127.0.0.1:${p}`)),
          identity: await RoundRobinProxy.start(identityPorts.map((p) => `http://127.0.0.1:${p}`)),
        }
      : null;
  const issuer = proxies?.authz.url ?? `http://${issuerHost}:${authzPorts[0]}`;
  const identityUrl = proxies?.identity.url ?? `http://127.0.0.1:${identityPorts[0]}`;
  const kafka = { KAFKA_BROKERS: testKafkaBrokers().join(',') };
  // Platforms of parallel suites share one broker: each authorization server consumes in a group
  // of its own (a shared group would split the partitions, and events, between platforms),
  // starting from the topic's end rather than replaying every earlier suite's events.
  const consumerGroup = await consumerGroupAtTopicEnd(`e2e-${prefix}`, [USER_EVENTS_TOPIC, TENANT_EVENTS_TOPIC]);
  // Replicas must share the keyring that seals signing keys and signs cookies and CSRF tokens.
  const dataEncryptionKeys = Keyring.generateSpec(`e2e${randomUUID().slice(0, 8)}`);
  const authzEnv = {
    ...kafka,
    ISSUER: issuer,
    IDENTITY_BACKEND_URL: identityUrl,
    BOOTSTRAP_ADMIN_CLI_SECRET: adminCliSecret,
    USER_EVENTS_CONSUMER_GROUP: consumerGroup,
    DATA_ENCRYPTION_KEYS: dataEncryptionKeys,
    ...env.authz,
  };
  const identityEnv = { ...kafka, AUTHORIZATION_SERVER_URL: issuer, ...FAST_PASSWORD_HASHES, ...env.identity };
  const [authzDb, identityDb] = await Promise.all([
    migratedDatabase(`${prefix}_authz`, AUTHZ_ENTRY, authzEnv),
    migratedDatabase(`${prefix}_identity`, IDENTITY_ENTRY, identityEnv),
  ]);
  // The two services start side by side; one replica after the other within a service (the
  // first bootstraps, the others find it done).
  const startReplicas = async (entry: string, serviceEnv: Record<string, string>, servicePorts: number[]) => {
    const started: BuiltService[] = [];
    try {
      for (const port of servicePorts)
        started.push(await startBuiltService(entry, serviceEnv, port, { migrated: true }));
      return started;
    } catch (error) {
      await Promise.all(started.map((s) => s.stop()));
      throw error;
    }
  };
  const starting = await Promise.allSettled([
    startReplicas(AUTHZ_ENTRY, { ...authzEnv, DATABASE_URL: authzDb.url }, authzPorts),
    startReplicas(IDENTITY_ENTRY, { ...identityEnv, DATABASE_URL: identityDb.url }, identityPorts),
  ]);
  const failed = starting.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(starting.flatMap((s) => (s.status === 'fulfilled' ? s.value.map((r) => r.stop()) : [])));
    await Promise.all([proxies?.authz.stop(), proxies?.identity.stop()]);
    await Promise.all([authzDb.drop(), identityDb.drop()]);
    throw failed.reason;
  }
  const [authzServices, identityServices] = starting.map((s) => (s as PromiseFulfilledResult<BuiltService[]>).value);
  const services = [...authzServices, ...identityServices];

  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  /**
   * A client-credentials token for admin-cli. For the management API it always acts as the
   * platform operator (platform.admin): platform-wide and cross-tenant routes need it.
   */
  async function adminToken(requested: string, resource: string): Promise<string> {
    const scope = resource === AUTHZ_API ? `platform.admin ${requested}` : requested;
    const res = await fetchJson(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('admin-cli', adminCliSecret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
    });
    if (res.status !== 200) throw new Error(`admin token: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.access_token;
  }

  const identityAdmin = (method: string, path: string, body?: unknown) =>
    adminToken(ADMIN_SCOPES, IDENTITY_API).then((token) =>
      fetchJsonWithBearer(`${identityUrl}${path}`, token, method, body),
    );
  const authzAdmin = (method: string, path: string, body?: unknown) =>
    adminToken(AUTHZ_ADMIN_SCOPES, AUTHZ_API).then((token) =>
      fetchJsonWithBearer(`${issuer}${path}`, token, method, body),
    );

  const expectStatus = <T extends { status: number; body: unknown }>(res: T, status: number, what: string): T => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };

  return {
    issuer,
    identityUrl,
    /** Each replica's own base URL (bypassing the proxy), and the proxies' request counts. */
    replicas: {
      authz: authzServices.map((s) => s.baseUrl),
      identity: identityServices.map((s) => s.baseUrl),
      proxies,
    },
    adminCliSecret,
    authzDb,
    identityDb,
    adminToken,
    identityAdmin,
    authzAdmin,
    basic,

    async createTenant(slug: string, settings?: Record<string, unknown>): Promise<{ id: string; slug: string }> {
      const res = await identityAdmin('POST', '/api/v1/tenants', { slug, displayName: slug.toUpperCase(), settings });
      return expectStatus(res, 201, `tenant ${slug}`).body;
    },

    async createUser(
      tenantId: string,
      email: string,
      password: string,
      options: { temporaryPassword?: boolean } = {},
    ): Promise<{ id: string; email: string }> {
      const res = await identityAdmin('POST', '/api/v1/users', {
        tenantId,
        email,
        password,
        emailVerified: true,
        ...options,
      });
      return expectStatus(res, 201, `user ${email}`).body;
    },

    async createClient(registration: ClientRegistration): Promise<{ clientId: string; clientSecret: string | null }> {
      const res = await authzAdmin('POST', '/api/v1/clients', registration);
      const body = expectStatus(res, 201, `client ${registration.name}`).body;
      return { clientId: body.clientId, clientSecret: body.clientSecret ?? null };
    },

    async stop() {
      await Promise.all(services.map((s) => s.stop()));
      await Promise.all([proxies?.authz.stop(), proxies?.identity.stop()]);
      await Promise.all([authzDb.drop(), identityDb.drop()]);
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

/** The suite's platform (startPlatform's, same arguments), started before its tests and stopped after them. */
export const usePlatform = (...args: Parameters<typeof startPlatform>): Platform =>
  suiteFixture(
    () => startPlatform(...args),
    (platform) => platform.stop(),
  );

const USER_EVENTS_TOPIC = 'identity.user.v1';
const TENANT_EVENTS_TOPIC = 'identity.tenant.v1';
