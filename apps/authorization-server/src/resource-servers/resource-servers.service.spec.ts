import type { ClusterConfig } from '../cluster/cluster-config';
import type { ResourceServer } from './resource-server.entity';
import type { ResourceServersRepository } from './resource-servers.repository';
import { ResourceServersService } from './resource-servers.service';

describe('ResourceServersService', () => {
  const setUp = () => {
    const stored = new Map<string, ResourceServer>();
    const repository = {
      list: jest.fn(async () => [...stored.values()]),
      find: jest.fn(async (id: string) => stored.get(id) ?? null),
      save: jest.fn(async (server: ResourceServer) => (stored.set(server.identifier, server), server)),
      remove: jest.fn(async (id: string) => stored.delete(id)),
      clientAuthMethod: jest.fn(async (clientId: string) =>
        clientId === 'orders-introspector' ? 'client_secret_basic' : clientId === 'spa' ? 'none' : undefined,
      ),
    };
    const cluster = { announce: jest.fn(async () => undefined) };
    const service = new ResourceServersService(
      repository as unknown as ResourceServersRepository,
      cluster as unknown as ClusterConfig,
    );
    return { service, repository, cluster };
  };
  const orders = { identifier: 'https://orders.example', name: 'Orders', scopes: ['orders.read'] };

  it('creates with the defaults and rebuilds the provider on every replica', async () => {
    const { service, cluster } = setUp();
    await expect(service.create(orders)).resolves.toMatchObject({ tokenFormat: 'jwt', accessTokenTtl: 900 });
    expect(cluster.announce).toHaveBeenCalledTimes(1);
  });

  it('refuses mappings of unknown scopes and an introspection client that cannot authenticate', async () => {
    const { service, repository } = setUp();
    await expect(
      service.create({ ...orders, scopePermissions: { 'orders.write': ['orders:write'] } }),
    ).rejects.toMatchObject({ code: 'invalid_scope_permissions', status: 400 });
    for (const introspectionClientId of ['spa', 'nobody']) {
      await expect(service.create({ ...orders, introspectionClientId })).rejects.toMatchObject({
        code: 'invalid_introspection_client',
      });
    }
    expect(repository.save).not.toHaveBeenCalled();
    await expect(service.create({ ...orders, introspectionClientId: 'orders-introspector' })).resolves.toBeDefined();
  });

  it('answers resource_server_not_found for one that does not exist', async () => {
    const { service, cluster } = setUp();
    await expect(service.get('https://nowhere.example')).rejects.toMatchObject({
      code: 'resource_server_not_found',
      status: 404,
    });
    await expect(service.remove('https://nowhere.example')).rejects.toMatchObject({ status: 404 });
    expect(cluster.announce).not.toHaveBeenCalled();
  });
});
