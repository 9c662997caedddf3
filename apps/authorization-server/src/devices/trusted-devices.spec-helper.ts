import { FakeIdentityInternalClient } from '@platform/contracts';
import { ManualClock } from '@platform/runtime';
import { randomUUID } from 'node:crypto';
import { ALL_TENANTS, type TenantScope } from '../access/management-access';
import type { SecurityEvents } from '../events/security-events';
import type { TrustedDevice } from './trusted-device.entity';
import type { NewTrust, TrustedDevicesRepository } from './trusted-devices.repository';
import { TrustedDevices } from './trusted-devices.service';

/** The repository's rules (one row per tenant, user and device; active = unrevoked and unexpired) in memory. */
export class MemoryTrustedDevicesRepository implements Pick<
  TrustedDevicesRepository,
  'trust' | 'touchActive' | 'list' | 'revoke'
> {
  readonly rows: TrustedDevice[] = [];

  async trust(trust: NewTrust, now: Date): Promise<TrustedDevice> {
    const same = this.rows.find(
      (r) => r.tenantId === trust.tenantId && r.userId === trust.userId && r.deviceHash === trust.deviceHash,
    );
    const row = same ?? Object.assign({ id: randomUUID(), createdAt: now } as TrustedDevice, trust);
    Object.assign(row, trust, { trustedAt: now, lastSeenAt: now, revokedAt: null });
    if (!same) this.rows.push(row);
    return { ...row };
  }

  async touchActive(tenantId: string, userId: string, deviceHash: string, now: Date) {
    const row = this.rows.find(
      (r) => r.tenantId === tenantId && r.userId === userId && r.deviceHash === deviceHash && active(r, now),
    );
    if (row) row.lastSeenAt = now;
    return row ? { ...row } : null;
  }

  async list(scope: TenantScope, userId: string, now: Date) {
    return this.rows
      .filter((r) => r.userId === userId && active(r, now) && (scope === ALL_TENANTS || r.tenantId === scope))
      .map((r) => ({ ...r }));
  }

  async revoke(scope: TenantScope, userId: string, id: string, now: Date) {
    const row = this.rows.find(
      (r) => r.id === id && r.userId === userId && !r.revokedAt && (scope === ALL_TENANTS || r.tenantId === scope),
    );
    if (row) row.revokedAt = now;
    return row ? { ...row } : null;
  }
}

const active = (row: TrustedDevice, now: Date) => !row.revokedAt && row.trustedUntil > now;

/** TrustedDevices on the in-memory repository, a manual clock and recorded security events. */
export function trustedDevicesUnderTest(identity = new FakeIdentityInternalClient()) {
  const repository = new MemoryTrustedDevicesRepository();
  const clock = new ManualClock(Date.parse('2026-12-01T10:00:00Z'));
  const events: { type: string; tenantId: string | null; data: Record<string, unknown> }[] = [];
  const security = { record: async (...recorded: typeof events) => void events.push(...recorded) };
  const service = new TrustedDevices(
    repository as unknown as TrustedDevicesRepository,
    identity,
    security as unknown as SecurityEvents,
    clock,
  );
  return { service, repository, clock, events, identity };
}
