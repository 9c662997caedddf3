import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BoundedCache } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { CustomScope } from './custom-scope.entity';

/**
 * The custom scopes, read on every claims build: which claim each releases and from which
 * user claims, for the client at hand (all clients, its tenant's, or itself). Cached until any
 * replica changes one.
 */
@Injectable()
export class CustomScopes {
  private readonly cache = new BoundedCache<CustomScope[]>({ max: 1, ttlMs: 60_000 });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.customScopes, () => this.cache.clear());
  }

  all(): Promise<CustomScope[]> {
    return this.cache.get('all', () => this.dataSource.manager.find(CustomScope, { order: { createdAt: 'ASC' } }));
  }

  /** scope → claims, for the provider's `claims` configuration (what each scope may release). */
  async claimsByScope(): Promise<Record<string, string[]>> {
    const byScope: Record<string, Set<string>> = {};
    for (const { scope, claim } of await this.all()) (byScope[scope] ??= new Set()).add(claim);
    return Object.fromEntries(Object.entries(byScope).map(([scope, claims]) => [scope, [...claims]]));
  }

  /**
   * The custom claims of one user for one client: the most specific mapping of each scope wins
   * (client, then tenant, then everyone). The provider then keeps only those of granted scopes.
   */
  async claimsFor(profile: Record<string, unknown>, clientId: string): Promise<Record<string, unknown>> {
    const applicable = (await this.all())
      .filter((m) => (m.clientId ? m.clientId === clientId : !m.tenantId || m.tenantId === profile.tenant_id))
      .sort((a, b) => specificity(a) - specificity(b));
    const claims: Record<string, unknown> = {};
    for (const mapping of applicable) {
      claims[mapping.claim] =
        typeof mapping.source === 'string'
          ? profile[mapping.source]
          : Object.fromEntries(
              mapping.source.filter((name) => profile[name] !== undefined).map((n) => [n, profile[n]]),
            );
    }
    return claims;
  }
}

const specificity = (m: CustomScope) => (m.clientId ? 2 : m.tenantId ? 1 : 0);
