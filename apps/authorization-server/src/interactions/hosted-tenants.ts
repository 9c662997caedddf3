import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { BoundedCache } from '@platform/runtime';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { IDENTITY_CLIENT } from '../tokens';
import { type Branding, PLATFORM_BRANDING } from './pages/layout';

/**
 * Tenants' names and branding for the hosted pages, cached until the tenant changes (the identity
 * backend's tenant events clear it on every replica); pages still render while the backend is down.
 */
@Injectable()
export class HostedTenants {
  private readonly cache = new BoundedCache<Branding>({ max: 10_000, ttlMs: 60_000 });

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.tenants, () => this.cache.clear());
  }

  async branding(tenantRef: string): Promise<Branding> {
    try {
      return await this.cache.get(tenantRef, async () => {
        const tenant = await this.identity.tenant(tenantRef);
        return { name: tenant.displayName, ...tenant.branding };
      });
    } catch {
      return PLATFORM_BRANDING;
    }
  }
}
