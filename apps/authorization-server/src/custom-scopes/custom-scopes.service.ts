import { Injectable } from '@nestjs/common';
import { newResourceTenant, type TenantScope } from '../access/management-access';
import { CLAIMS_BY_SCOPE } from '../oidc/accounts';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ResourceServers } from '../resource-servers/resource-servers';
import { CustomScope } from './custom-scope.entity';
import { CustomScopeError } from './custom-scope-errors';
import type { CreateCustomScopeDto } from './custom-scopes.controller';
import { CustomScopes } from './custom-scopes';
import { CustomScopesRepository } from './custom-scopes.repository';

/** Claims a custom scope may never shadow: the protocol's own and the platform's. */
const RESERVED_CLAIMS = new Set([
  ...Object.keys(CLAIMS_BY_SCOPE),
  ...Object.values(CLAIMS_BY_SCOPE).flatMap((claims) => claims ?? []),
  ...['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'nonce', 'azp', 'at_hash', 'c_hash', 's_hash'],
  ...['client_id', 'scope', 'cnf', 'act', 'typ'],
]);

const BUILT_IN_SCOPES = new Set(['openid', 'offline_access', ...Object.keys(CLAIMS_BY_SCOPE)]);

@Injectable()
export class CustomScopesService {
  constructor(
    private readonly repository: CustomScopesRepository,
    private readonly customScopes: CustomScopes,
    private readonly resourceServers: ResourceServers,
    private readonly cluster: ClusterConfig,
  ) {}

  /** A tenant's callers map scopes for their tenant's users (and clients) only; global ones are platform administrators'. */
  async create(scope: TenantScope, dto: CreateCustomScopeDto): Promise<CustomScope> {
    const tenantId = newResourceTenant(scope, dto.tenantId);
    if (BUILT_IN_SCOPES.has(dto.scope) || (await this.resourceServers.allScopes()).includes(dto.scope)) {
      throw new CustomScopeError('scope_taken', `${dto.scope} is already a scope of OpenID Connect or of an API`);
    }
    if (RESERVED_CLAIMS.has(dto.claim)) {
      throw new CustomScopeError('reserved_claim', `${dto.claim} is a claim of the protocol or the platform`);
    }
    const mappedElsewhere = (await this.customScopes.all()).find((m) => m.scope === dto.scope && m.claim !== dto.claim);
    if (mappedElsewhere) {
      throw new CustomScopeError('scope_taken', `${dto.scope} already releases the claim ${mappedElsewhere.claim}`);
    }
    if (dto.clientId && !(await this.repository.clientExists(scope, dto.clientId))) {
      throw new CustomScopeError('unknown_client', 'No client has this id');
    }
    const target = { scope: dto.scope, tenantId, clientId: dto.clientId ?? null };
    const saved = await this.repository.createUnlessMapped(target, {
      claim: dto.claim,
      source: dto.source,
      description: dto.description ?? '',
    });
    if (!saved) {
      throw new CustomScopeError('custom_scope_exists', 'This scope is already mapped for the same tenant and client');
    }
    await this.changed();
    return saved;
  }

  list(scope: TenantScope): Promise<CustomScope[]> {
    return this.repository.list(scope);
  }

  async remove(scope: TenantScope, id: string): Promise<boolean> {
    if (!(await this.repository.remove(scope, id))) return false;
    await this.changed();
    return true;
  }

  /** Scopes and their claims are fixed when the provider is built: rebuild it. */
  private async changed(): Promise<void> {
    await this.cluster.announce(ConfigTopic.customScopes);
  }
}
