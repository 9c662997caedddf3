import { Injectable } from '@nestjs/common';
import { isUniqueViolation } from '@platform/database';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ResourceServersApiError, ResourceServerErrorCode } from './resource-server-errors';
import { ResourceServer } from './resource-server.entity';
import { ResourceServersRepository } from './resource-servers.repository';
import { scopeMappingProblem } from './scope-permissions';
import { assertIntrospectionClient } from './introspection-client';

/** What the API may set on a resource server (everything but its timestamps). */
export type ResourceServerChanges = Partial<Omit<ResourceServer, 'identifier' | 'createdAt' | 'updatedAt'>>;

/** The resource servers API. A change rebuilds the provider so new scopes are accepted at once. */
@Injectable()
export class ResourceServersService {
  constructor(
    private readonly repository: ResourceServersRepository,
    private readonly cluster: ClusterConfig,
  ) {}

  async create(input: ResourceServerChanges & Pick<ResourceServer, 'identifier' | 'name' | 'scopes'>) {
    const server = Object.assign(new ResourceServer(), {
      tokenFormat: 'jwt',
      accessTokenTtl: 900,
      includePermissions: false,
      scopePermissions: {},
      scopeDescriptions: {},
      introspectionClientId: null,
      ...input,
    });
    assertMappings(server);
    await assertIntrospectionClient(this.repository, server.introspectionClientId);
    try {
      const saved = await this.repository.save(server);
      await this.changed();
      return saved;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ResourceServersApiError(
          ResourceServerErrorCode.Exists,
          'A resource server with this identifier exists',
        );
      }
      throw error;
    }
  }

  list(): Promise<ResourceServer[]> {
    return this.repository.list();
  }

  async get(identifier: string): Promise<ResourceServer> {
    const server = await this.repository.find(identifier);
    if (!server) throw new ResourceServersApiError(ResourceServerErrorCode.NotFound, 'Resource server not found');
    return server;
  }

  /** Changes what `changes` names; the mappings are checked against the scopes after the change. */
  async update(identifier: string, changes: ResourceServerChanges): Promise<ResourceServer> {
    const server = Object.assign(await this.get(identifier), changes);
    assertMappings(server);
    if (changes.introspectionClientId) await assertIntrospectionClient(this.repository, changes.introspectionClientId);
    const saved = await this.repository.save(server);
    await this.changed();
    return saved;
  }

  async remove(identifier: string): Promise<void> {
    if (!(await this.repository.remove(identifier)))
      throw new ResourceServersApiError(ResourceServerErrorCode.NotFound, 'Resource server not found');
    await this.changed();
  }

  private async changed(): Promise<void> {
    // Scopes are fixed when the provider is built: every replica drops its cache and rebuilds it.
    await this.cluster.announce(ConfigTopic.resourceServers);
  }
}

function assertMappings(server: ResourceServer): void {
  const problem = scopeMappingProblem(server.scopes, server.scopePermissions ?? {}, server.scopeDescriptions ?? {});
  if (problem) throw new ResourceServersApiError(ResourceServerErrorCode.InvalidScopePermissions, problem);
}
