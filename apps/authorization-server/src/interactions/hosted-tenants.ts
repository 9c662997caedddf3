import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { BoundedCache } from '@platform/runtime';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { IDENTITY_CLIENT } from '../tokens';
import { type Branding, PLATFORM_BRANDING } from './pages/layout';

/** A tenant as its hosted pages show it. */
export interface HostedTenant {
  /** What self-service links carry (`?tenant=`); the reference the request named when the backend is away. */
  slug: string;
  branding: Branding;
  selfRegistration: boolean;
  /** Whether sign-ins from a new device are mailed to the user (new-device-alerts.ts). */
  newDeviceAlerts: boolean;
  /** "Remember this device" at the second factor (../devices): offered and honoured only when `allowMfaBypass`. */
  trustedDevices: TrustedDevicePolicy;
}

export interface TrustedDevicePolicy {
  allowMfaBypass: boolean;
  days: number;
}

/** An older backend (or none): no bypass, and the tenant-settings default duration. */
const NO_BYPASS: TrustedDevicePolicy = { allowMfaBypass: false, days: 30 };

/**
 * Tenants' names and branding for the hosted pages, cached until the tenant changes (the identity
 * backend's tenant events clear it on every replica); pages still render while the backend is down.
 */
@Injectable()
export class HostedTenants {
  private readonly cache = new BoundedCache<HostedTenant>({ max: 10_000, ttlMs: 60_000 });

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.tenants, () => this.cache.clear());
  }

  async tenant(tenantRef: string): Promise<HostedTenant> {
    try {
      return await this.cache.get(tenantRef, async () => {
        const tenant = await this.identity.tenant(tenantRef);
        return {
          slug: tenant.slug,
          branding: { name: tenant.displayName, ...tenant.branding },
          selfRegistration: tenant.selfRegistration === true,
          newDeviceAlerts: tenant.newDeviceAlerts === true,
          trustedDevices: {
            allowMfaBypass: tenant.allowMfaBypassOnTrustedDevice === true,
            days: tenant.trustDurationDays ?? NO_BYPASS.days,
          },
        };
      });
    } catch {
      return {
        slug: tenantRef,
        branding: PLATFORM_BRANDING,
        selfRegistration: false,
        newDeviceAlerts: false,
        trustedDevices: NO_BYPASS,
      };
    }
  }

  async branding(tenantRef: string): Promise<Branding> {
    return (await this.tenant(tenantRef)).branding;
  }
}
