import { TENANT_IDENTITY_PERMISSIONS } from '@platform/contracts';
import {
  createTestDatabase,
  fetchJson,
  sqlRows,
  startService,
  suiteFixture,
  type TestDatabase,
  testKafkaBrokers,
  testSmtpUrl,
  TestTokenIssuer,
} from '@platform/testing';
import { identityBackend } from '../src/identity-backend';

export const API_AUDIENCE = 'urn:identity-platform:identity-api';

/** Every identity permission a tenant administrator holds. */
export const ALL_PERMISSIONS = [...TENANT_IDENTITY_PERMISSIONS];

/** A running identity backend on a fresh database, trusting tokens from a local test issuer. */
export async function startIdentityApi(prefix: string, env: Record<string, string> = {}, existingDb?: TestDatabase) {
  const db = existingDb ?? (await createTestDatabase(prefix));
  const issuer = await TestTokenIssuer.start();
  const service = await startService(identityBackend, {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    AUTHORIZATION_SERVER_URL: issuer.issuer,
    JWKS_URL: issuer.jwksUri,
    BCRYPT_COST: '4',
    // argon2id (the default scheme) at its smallest keeps sign-ins fast; production defaults are OWASP's.
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_ITERATIONS: '1',
    SMTP_URL: testSmtpUrl(),
    ACCOUNT_URL: 'https://login.example.test',
    ...env,
  });

  const platformAdminToken = await issuer.mint({
    sub: 'platform-operator',
    client_id: 'admin-cli',
    aud: API_AUDIENCE,
    scope: '',
    permissions: ['platform:admin', ...ALL_PERMISSIONS],
  });

  /** A tenant administrator's token (a user holding every identity permission in that tenant). */
  const tenantAdminToken = (tenantId: string, sub = `admin-of-${tenantId}`) =>
    issuer.mint({
      sub,
      client_id: 'console',
      aud: API_AUDIENCE,
      tenant_id: tenantId,
      scope: 'openid',
      permissions: ALL_PERMISSIONS,
    });

  const call = (method: string, path: string, token?: string, body?: unknown) =>
    fetchJson(`${service.baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });

  const createTenant = async (slug: string, settings?: Record<string, unknown>) => {
    const res = await call('POST', '/api/v1/tenants', platformAdminToken, {
      slug,
      displayName: slug.toUpperCase(),
      settings,
    });
    if (res.status !== 201) throw new Error(`tenant ${slug}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; slug: string };
  };

  /** A token for this API in a tenant with the given claims (sub, client_id, scope...; `aud` may be overridden). */
  const tenantToken = (tenantId: string, claims: Record<string, unknown>) =>
    issuer.mint({ aud: API_AUDIENCE, tenant_id: tenantId, ...claims });

  /** An end user's own token, as the authorization server issues it after sign-in. */
  const userToken = (userId: string, tenantId: string) =>
    issuer.mint({ sub: userId, client_id: 'console', aud: API_AUDIENCE, tenant_id: tenantId });

  /** One SQL statement on the service's database, over a connection of its own: the rows it returns. */
  const sql = (text: string, values: unknown[] = []) => sqlRows(db.url, text, values);

  /** The authorization server's service token for the internal API. */
  const internalToken = await issuer.mint({
    sub: 'authorization-server',
    client_id: 'authorization-server',
    aud: API_AUDIENCE,
    scope: 'identity.internal',
  });

  return {
    baseUrl: service.baseUrl,
    app: service.app,
    internalToken,
    userToken,
    tenantToken,
    db,
    issuer,
    call,
    sql,
    createTenant,
    platformAdminToken,
    tenantAdminToken,
    /** Stops the service; the database is dropped unless the caller keeps it for another instance. */
    async stop(options: { keepDatabase?: boolean } = {}) {
      await service.close();
      await issuer.stop();
      if (!options.keepDatabase) await db.drop();
    },
  };
}

export type IdentityApi = Awaited<ReturnType<typeof startIdentityApi>>;

/**
 * What most suites start with: the API (as startIdentityApi, with `env`), a tenant made with
 * `settings`, and that tenant's administrator token. A failure after the start stops the service.
 */
export async function startIdentityApiWithTenant(
  prefix: string,
  slug: string,
  { settings, env }: { settings?: Record<string, unknown>; env?: Record<string, string> } = {},
) {
  const api = await startIdentityApi(prefix, env);
  try {
    const tenant = await api.createTenant(slug, settings);
    return { api, tenant, admin: await api.tenantAdminToken(tenant.id) };
  } catch (error) {
    await api.stop();
    throw error;
  }
}

/** The suite's identity backend (startIdentityApi's), started before its tests and stopped after them. */
export const useIdentityApi = (prefix: string, env: Record<string, string> = {}) =>
  suiteFixture(
    () => startIdentityApi(prefix, env),
    (api) => api.stop(),
  );

/** A tenant of the suite's `api` made with `settings` before the tests, and its administrator's token (`admin`). */
export const useTenant = (api: IdentityApi, slug: string, settings?: Record<string, unknown>) =>
  suiteFixture(async () => {
    const tenant = await api.createTenant(slug, settings);
    return { ...tenant, admin: await api.tenantAdminToken(tenant.id) };
  });
