import { ManualClock } from '@platform/runtime';
import { ALL_TENANTS } from '../access/management-access';
import type { ClientsRepository } from '../clients/clients.repository';
import type { OAuthClient } from '../clients/oauth-client.entity';
import type { ResourceServer } from '../resource-servers/resource-server.entity';
import type { ResourceServers } from '../resource-servers/resource-servers';
import type { ApiKey } from './api-key.entity';
import { ApiKeyErrorCode } from './api-key-errors';
import type { ApiKeysRepository } from './api-keys.repository';
import { type ApiKeyActor, ApiKeysService } from './api-keys.service';

describe('ApiKeysService', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');
  const MAX_TTL_SECONDS = 86_400;

  const setUp = () => {
    const saved: ApiKey[] = [];
    const keys = {
      save: jest.fn(async (key: ApiKey) => (saved.push(key), key)),
      find: jest.fn(async (_scope: unknown, id: string) => saved.find((key) => key.id === id) ?? null),
      revoke: jest.fn(async () => undefined),
    };
    const clientList: Partial<OAuthClient>[] = [
      { clientId: 'billing-app', tenantId: 'tenant-a', metadata: { scope: 'orders.read' } },
    ];
    const clients = {
      find: jest.fn(async (scope: unknown, clientId: string) => {
        const client = clientList.find((c) => c.clientId === clientId);
        return client && (scope === ALL_TENANTS || scope === client.tenantId) ? client : null;
      }),
    };
    const servers = new Map([['https://orders.example', { scopes: ['orders.read', 'orders.write'] }]]);
    const resourceServers = {
      find: async (audience: string) => (servers.get(audience) as ResourceServer | undefined) ?? null,
    };
    const clock = new ManualClock(NOW);
    const service = new ApiKeysService(
      keys as unknown as ApiKeysRepository,
      clients as unknown as ClientsRepository,
      resourceServers as unknown as ResourceServers,
      clock,
      { API_KEY_MAX_TTL_SECONDS: MAX_TTL_SECONDS },
    );
    return { service, keys, clients, clock, saved };
  };
  const tenantAdmin: ApiKeyActor = { subject: 'admin-a', scope: 'tenant-a' };
  const operator: ApiKeyActor = { subject: 'operator', scope: ALL_TENANTS };
  const dto = { name: 'Export', audience: 'https://orders.example', scopes: ['orders.read'] };
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: { code?: string }) => error.code,
    );

  it("creates a tenant's key shown once and stored hashed, expiring at the longest lifetime by default", async () => {
    const { service, saved } = setUp();
    const { apiKey, key } = await service.create(dto, tenantAdmin);
    expect(key).toMatch(/^ipk_[0-9a-f]{20}_/);
    expect(apiKey).toMatchObject({ tenantId: 'tenant-a', clientId: null, createdBy: 'admin-a', revokedAt: null });
    expect(apiKey.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(saved)).not.toContain(key);
    expect(apiKey.expiresAt).toEqual(new Date(NOW + MAX_TTL_SECONDS * 1000));
  });

  it('takes an expiry within the lifetime and refuses one in the past or beyond it, by the clock', async () => {
    const { service } = setUp();
    const inAnHour = new Date(NOW + 3_600_000).toISOString();
    await expect(service.create({ ...dto, expiresAt: inAnHour }, tenantAdmin)).resolves.toMatchObject({
      apiKey: { expiresAt: new Date(inAnHour) },
    });
    for (const expiresAt of [new Date(NOW).toISOString(), new Date(NOW + (MAX_TTL_SECONDS + 1) * 1000).toISOString()]) {
      expect(await code(service.create({ ...dto, expiresAt }, tenantAdmin))).toBe(ApiKeyErrorCode.InvalidExpiry);
    }
  });

  it("gives a client's key the client's tenant and holds it to the client's registered scopes", async () => {
    const { service } = setUp();
    await expect(service.create({ ...dto, clientId: 'billing-app' }, operator)).resolves.toMatchObject({
      apiKey: { clientId: 'billing-app', tenantId: 'tenant-a' },
    });
    expect(await code(service.create({ ...dto, clientId: 'billing-app', scopes: ['orders.write'] }, operator))).toBe(
      ApiKeyErrorCode.InvalidScope,
    );
    expect(await code(service.create({ ...dto, clientId: 'billing-app', tenantId: 'tenant-b' }, operator))).toBe(
      ApiKeyErrorCode.TenantMismatch,
    );
    expect(await code(service.create({ ...dto, clientId: 'billing-app' }, { ...tenantAdmin, scope: 'tenant-b' }))).toBe(
      ApiKeyErrorCode.UnknownClient,
    );
  });

  it('wants an owner, a known resource server and its own scopes only', async () => {
    const { service } = setUp();
    expect(await code(service.create(dto, operator))).toBe(ApiKeyErrorCode.OwnerRequired);
    expect(await code(service.create({ ...dto, audience: 'https://nowhere.example' }, tenantAdmin))).toBe(
      ApiKeyErrorCode.UnknownResource,
    );
    expect(await code(service.create({ ...dto, scopes: ['orders.delete'] }, tenantAdmin))).toBe(
      ApiKeyErrorCode.InvalidScope,
    );
  });

  it("revokes a key in the caller's scope; another tenant's key is not found", async () => {
    const { service, keys } = setUp();
    const { apiKey } = await service.create(dto, tenantAdmin);
    keys.find.mockImplementation(async (scope: unknown, id: string) =>
      scope === 'tenant-a' && id === apiKey.id ? apiKey : null,
    );
    await service.revoke(apiKey.id, tenantAdmin);
    expect(keys.revoke).toHaveBeenCalledWith(apiKey.id);
    expect(await code(service.revoke(apiKey.id, { ...tenantAdmin, scope: 'tenant-b' }))).toBe(ApiKeyErrorCode.NotFound);
  });
});
