import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { newResourceTenant, type TenantScope, tenantWhere } from '../access/management-access';
import { OAuthClient } from '../clients/oauth-client.entity';
import { CLAIMS_BY_SCOPE } from '../oidc/accounts';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ResourceServers } from '../resource-servers/resource-servers';
import { CustomScope } from './custom-scope.entity';
import { CustomScopeError, CustomScopeErrorCode } from './custom-scope-errors';
import type { CreateCustomScopeDto } from './custom-scopes.controller';
import { CustomScopes } from './custom-scopes';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customScopes: CustomScopes,
    private readonly resourceServers: ResourceServers,
    private readonly cluster: ClusterConfig,
  ) {}

  /** A tenant's callers map scopes for their tenant's users (and clients) only; global ones are platform administrators'. */
  async create(scope: TenantScope, dto: CreateCustomScopeDto): Promise<CustomScope> {
    const tenantId = newResourceTenant(scope, dto.tenantId);
    if (BUILT_IN_SCOPES.has(dto.scope) || (await this.resourceServers.allScopes()).includes(dto.scope)) {
      throw new CustomScopeError(
        CustomScopeErrorCode.ScopeTaken,
        `${dto.scope} is already a scope of OpenID Connect or of an API`,
      );
    }
    if (RESERVED_CLAIMS.has(dto.claim)) {
      throw new CustomScopeError(
        CustomScopeErrorCode.ReservedClaim,
        `${dto.claim} is a claim of the protocol or the platform`,
      );
    }
    const mappedElsewhere = (await this.customScopes.all()).find((m) => m.scope === dto.scope && m.claim !== dto.claim);
    if (mappedElsewhere) {
      throw new CustomScopeError(
        CustomScopeErrorCode.ScopeTaken,
        `${dto.scope} already releases the claim ${mappedElsewhere.claim}`,
      );
    }
    if (
      dto.clientId &&
      !(await this.dataSource.manager.existsBy(OAuthClient, { clientId: dto.clientId, ...tenantWhere(scope) }))
    ) {
      throw new CustomScopeError(CustomScopeErrorCode.UnknownClient, 'No client has this id');
    }
    const target = { scope: dto.scope, tenantId, clientId: dto.clientId ?? null };
    const saved = await this.dataSource.transaction(async (manager) => {
      // One mapping per scope and audience (everyone / a tenant / a client); serialized, as NULLs defeat a unique index.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('custom_scopes'))`);
      if (
        await manager.existsBy(CustomScope, {
          ...target,
          tenantId: target.tenantId ?? IsNull(),
          clientId: target.clientId ?? IsNull(),
        })
      ) {
        throw new CustomScopeError(
          CustomScopeErrorCode.Exists,
          'This scope is already mapped for the same tenant and client',
        );
      }
      return manager.save(
        CustomScope,
        Object.assign(new CustomScope(), {
          ...target,
          claim: dto.claim,
          source: dto.source,
          description: dto.description ?? '',
        }),
      );
    });
    await this.changed();
    return saved;
  }

  list(scope: TenantScope): Promise<CustomScope[]> {
    return this.dataSource.manager.find(CustomScope, { where: tenantWhere(scope), order: { createdAt: 'ASC' } });
  }

  async remove(scope: TenantScope, id: string): Promise<boolean> {
    const result = await this.dataSource.manager.delete(CustomScope, { id, ...tenantWhere(scope) });
    if (!result.affected) return false;
    await this.changed();
    return true;
  }

  /** Scopes and their claims are fixed when the provider is built: rebuild it. */
  private async changed(): Promise<void> {
    await this.cluster.announce(ConfigTopic.customScopes);
  }
}
