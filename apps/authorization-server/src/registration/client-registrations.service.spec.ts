import { ClientError, ClientErrorCode } from '../clients/client-errors';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { ClusterConfig } from '../cluster/cluster-config';
import type { AuthorizationServerConfig } from '../config';
import type { SecurityEvents } from '../events/security-events';
import { OAuthClient } from '../clients/oauth-client.entity';
import { ClientRegistrations, DEFAULT_REGISTRATION_SCOPE } from './client-registrations.service';
import type { InitialAccessTokenGrant, InitialAccessTokensRepository } from './initial-access-tokens.repository';
import { registrationFeatures, registrationStore, TENANT_REGISTRATION_POLICY } from './registration-provider';

const TENANT = '6f1c7a52-6d2c-4bd4-9a1e-0b7d7f2f0c11';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** An in-memory oauth_clients table and initial access token store behind the service's collaborators. */
function setUp(
  grant: InitialAccessTokenGrant | undefined = { id: 'g1', tenantId: TENANT, maxUses: 1, uses: 0, createdBy: 'admin' },
) {
  const rows = new Map<string, OAuthClient>();
  const events: { type: string }[] = [];
  const announced: string[] = [];
  let uses = grant?.uses ?? 0;
  const manager = {
    findOneBy: async (_entity: unknown, { clientId }: { clientId: string }) => rows.get(clientId) ?? null,
    save: async (_entity: unknown, client: OAuthClient) => (rows.set(client.clientId, { ...client }), client),
    delete: async (_entity: unknown, { clientId }: { clientId: string }) => rows.delete(clientId),
  } as unknown as EntityManager;
  const dataSource = {
    manager,
    transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(manager),
  } as unknown as DataSource;
  const tokens = {
    find: async (token: string) => (token === 'iat' && grant ? grant : undefined),
    use: async () => (grant?.maxUses === null || uses < (grant?.maxUses ?? 0) ? (uses++, true) : false),
  } as unknown as InitialAccessTokensRepository;
  const cluster = {
    announce: async (topic: string) => void announced.push(`announce:${topic}`),
    reload: async (topic: string) => void announced.push(`reload:${topic}`),
  } as unknown as ClusterConfig;
  const security = {
    append: async (_m: unknown, event: { type: string }) => void events.push(event),
  } as unknown as SecurityEvents;
  const config = { OUTBOUND_ALLOW_PRIVATE_NETWORK: false } as AuthorizationServerConfig;
  const service = new ClientRegistrations(dataSource, tokens, cluster, security, config);
  return { service, rows, events, announced };
}

const registration = {
  client_id: 'c1',
  client_secret: 'the-clear-secret',
  client_secret_expires_at: 0,
  client_name: 'Partner',
  redirect_uris: ['https://partner.example/cb'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid email',
};

describe('ClientRegistrations (dynamic client registration)', () => {
  it("stores a registration as the initial access token's tenant's client, secret hashed, announced to replicas", async () => {
    const { service, rows, events, announced } = setUp();
    await service.upsert('c1', registration, { initialAccessToken: 'iat' });
    const row = rows.get('c1')!;
    expect(row).toMatchObject({
      clientId: 'c1',
      tenantId: TENANT,
      name: 'Partner',
      secretHash: sha256('the-clear-secret'),
    });
    expect(row.metadata).not.toHaveProperty('client_secret');
    expect(row.metadata).not.toHaveProperty('client_id');
    expect(announced).toEqual(['announce:clients', 'reload:clients']);
    expect(events.map((e) => e.type)).toEqual(['authz.client.created.v1']);
  });

  it('refuses without a live initial access token, and once it is used up', async () => {
    const { service } = setUp();
    await expect(service.upsert('c1', registration, {})).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
    await service.upsert('c1', registration, { initialAccessToken: 'iat' });
    await expect(service.upsert('c2', registration, { initialAccessToken: 'iat' })).rejects.toMatchObject({
      status: 401,
    });
  });

  it.each([
    ['identity.internal', { scope: 'openid identity.internal' }, 'reserved_scope'],
    ['platform.admin for a tenant client', { scope: 'openid platform.admin' }, 'reserved_scope'],
    ['no scope at all', { scope: undefined }, 'invalid_client_metadata'],
    ['too many scopes', { scope: Array.from({ length: 51 }, (_, i) => `s${i}`).join(' ') }, 'invalid_client_metadata'],
    [
      'client_credentials for a public client',
      { token_endpoint_auth_method: 'none', grant_types: ['client_credentials'] },
      'invalid_client_metadata',
    ],
    ['trusted', { trusted: true }, 'invalid_client_metadata'],
    ['a loopback jwks_uri', { jwks_uri: 'http://127.0.0.1/jwks.json' }, 'outbound_target_forbidden'],
  ])('refuses %s with a 400 and stores nothing', async (_what, change, code) => {
    const { service, rows } = setUp();
    const error = await service
      .upsert('c1', { ...registration, ...change }, { initialAccessToken: 'iat' })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 400 });
    expect([code, 'target_forbidden']).toContain(error.code);
    expect(rows.size).toBe(0);
  });

  it('keeps the stored hash on an update (the provider hands it back as the secret) and keeps the tenant', async () => {
    const { service, rows, events } = setUp();
    await service.upsert('c1', registration, { initialAccessToken: 'iat' });
    const hash = rows.get('c1')!.secretHash!;
    await service.upsert(
      'c1',
      { ...registration, client_secret: hash, redirect_uris: ['https://partner.example/new'] },
      {},
    );
    expect(rows.get('c1')).toMatchObject({ tenantId: TENANT, secretHash: hash });
    expect(rows.get('c1')!.metadata.redirect_uris).toEqual(['https://partner.example/new']);
    expect(events.at(-1)).toMatchObject({ type: 'authz.client.updated.v1', data: { changed: ['redirect_uris'] } });
  });

  it('deletes a registration and announces it', async () => {
    const { service, rows, announced } = setUp();
    await service.upsert('c1', registration, { initialAccessToken: 'iat' });
    await service.destroy('c1');
    expect(rows.size).toBe(0);
    expect(announced.slice(-2)).toEqual(['announce:clients', 'reload:clients']);
  });
});

describe('registration provider glue', () => {
  class InvalidClientMetadata extends Error {}
  class InvalidToken extends Error {}

  it('turns 4xx refusals into RFC 7591 errors and passes the request’s initial access token', async () => {
    const seen: unknown[] = [];
    const registrations = {
      upsert: async (...args: unknown[]) => {
        seen.push(args);
        throw new ClientError(ClientErrorCode.ReservedScope, 'no');
      },
      destroy: async () => undefined,
    } as unknown as ClientRegistrations;
    const store = registrationStore(
      registrations,
      () => ({ oidc: { entities: { InitialAccessToken: { jti: 'iat' } } } }),
      { InvalidClientMetadata, InvalidToken },
    );
    await expect(store.upsert('c1', {})).rejects.toBeInstanceOf(InvalidClientMetadata);
    expect(seen).toEqual([['c1', {}, { initialAccessToken: 'iat' }]]);
  });

  it('is off unless enabled, and fills in the default scope of a registration naming none', () => {
    expect(registrationFeatures(false).registration.enabled).toBe(false);
    const features = registrationFeatures(true);
    expect(features).toMatchObject({
      registration: { enabled: true, initialAccessToken: true },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    });
    const properties: Record<string, unknown> = {};
    features.registration.policies[TENANT_REGISTRATION_POLICY](undefined, properties);
    expect(properties.scope).toBe(DEFAULT_REGISTRATION_SCOPE);
  });
});
