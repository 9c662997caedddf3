import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { IDENTITY_CLIENT } from '../tokens';
import { type Branding, PLATFORM_BRANDING } from './pages/layout';

const TTL_MS = 60_000;

/** Tenants' names and branding for the hosted pages, cached briefly; pages still render while the backend is down. */
@Injectable()
export class HostedTenants {
  private readonly cache = new Map<string, { at: number; branding: Branding }>();

  constructor(@Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient) {}

  async branding(tenantRef: string): Promise<Branding> {
    const hit = this.cache.get(tenantRef);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.branding;
    try {
      const tenant = await this.identity.tenant(tenantRef);
      const branding = { name: tenant.displayName, ...tenant.branding };
      this.cache.set(tenantRef, { at: Date.now(), branding });
      return branding;
    } catch {
      return PLATFORM_BRANDING;
    }
  }
}
