import type { ClusterConfig } from '../cluster/cluster-config';
import type { ResourceServers } from '../resource-servers/resource-servers';
import type { CustomScope } from './custom-scope.entity';
import type { CustomScopes } from './custom-scopes';
import type { CreateCustomScopeDto } from './custom-scopes.controller';
import type { CustomScopesRepository } from './custom-scopes.repository';
import { CustomScopesService } from './custom-scopes.service';

describe('CustomScopesService', () => {
  const setUp = (existing: Partial<CustomScope>[] = []) => {
    const repository = {
      list: jest.fn(),
      clientExists: jest.fn(async (_scope, clientId: string) => clientId === 'tenant-app'),
      createUnlessMapped: jest.fn(async (target, fields) => ({ id: 'm-1', ...target, ...fields })),
      remove: jest.fn(async () => true),
    };
    const cluster = { announce: jest.fn(async () => undefined) };
    const service = new CustomScopesService(
      repository as unknown as CustomScopesRepository,
      { all: async () => existing } as unknown as CustomScopes,
      { allScopes: async () => ['orders.read'] } as unknown as ResourceServers,
      cluster as unknown as ClusterConfig,
    );
    return { service, repository, cluster };
  };
  const dto = (fields: Partial<CreateCustomScopeDto>) =>
    ({ scope: 'loyalty', claim: 'loyalty_tier', source: 'attributes.tier', ...fields }) as CreateCustomScopeDto;

  it("maps a scope for the caller's tenant and rebuilds the provider on every replica", async () => {
    const { service, repository, cluster } = setUp();
    await expect(service.create('t-1', dto({ clientId: 'tenant-app' }))).resolves.toMatchObject({ id: 'm-1' });
    expect(repository.createUnlessMapped).toHaveBeenCalledWith(
      { scope: 'loyalty', tenantId: 't-1', clientId: 'tenant-app' },
      { claim: 'loyalty_tier', source: 'attributes.tier', description: '' },
    );
    expect(cluster.announce).toHaveBeenCalled();
  });

  it.each([
    ['an OIDC scope', dto({ scope: 'profile' }), 'scope_taken'],
    ["an API's scope", dto({ scope: 'orders.read' }), 'scope_taken'],
    ['a protocol claim', dto({ claim: 'sub' }), 'reserved_claim'],
    ['a client outside the tenant', dto({ clientId: 'other-app' }), 'unknown_client'],
  ])('refuses %s', async (_what, input, code) => {
    const { service, repository } = setUp();
    await expect(service.create('t-1', input)).rejects.toMatchObject({ code });
    expect(repository.createUnlessMapped).not.toHaveBeenCalled();
  });

  it('refuses a scope that already releases another claim, and a second mapping for the same target', async () => {
    await expect(setUp([{ scope: 'loyalty', claim: 'points' }]).service.create('t-1', dto({}))).rejects.toMatchObject({
      code: 'scope_taken',
      status: 409,
    });
    const { service, repository, cluster } = setUp();
    repository.createUnlessMapped.mockResolvedValueOnce(null);
    await expect(service.create('t-1', dto({}))).rejects.toMatchObject({ code: 'custom_scope_exists', status: 409 });
    expect(cluster.announce).not.toHaveBeenCalled();
  });

  it('announces a removal only when there was something to remove', async () => {
    const { service, repository, cluster } = setUp();
    await expect(service.remove('t-1', 'm-1')).resolves.toBe(true);
    repository.remove.mockResolvedValueOnce(false);
    await expect(service.remove('t-1', 'm-2')).resolves.toBe(false);
    expect(cluster.announce).toHaveBeenCalledTimes(1);
  });
});
