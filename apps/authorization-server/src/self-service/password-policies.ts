import { Injectable } from '@nestjs/common';
import { BoundedCache } from '@platform/runtime';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import type { PasswordPolicy } from './password-policy';
import { SelfServiceClient } from './self-service.client';

/** While the backend cannot say a tenant's policy: the platform's floor (the backend still checks the real one). */
export const FALLBACK_PASSWORD_POLICY: PasswordPolicy = { minLength: 8, maxLength: 256 };

/**
 * Tenants' password policies for the pages that ask for a new password outside the self-service
 * pages (the sign-in's password-change step), cached until the tenant changes like HostedTenants.
 */
@Injectable()
export class PasswordPolicies {
  private readonly cache = new BoundedCache<PasswordPolicy>({ max: 10_000, ttlMs: 60_000 });

  constructor(
    private readonly backend: SelfServiceClient,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.tenants, () => this.cache.clear());
  }

  async of(tenantRef: string): Promise<PasswordPolicy> {
    try {
      return await this.cache.get(tenantRef, async () => (await this.backend.tenant(tenantRef)).passwordPolicy);
    } catch {
      return FALLBACK_PASSWORD_POLICY;
    }
  }
}
