import { Inject, Injectable, Logger } from '@nestjs/common';
import { type IdentityInternalClient, SecurityEventTypes } from '@platform/contracts';
import { Clock, deviceOf } from '@platform/runtime';
import { isUUID } from 'class-validator';
import { createHash } from 'node:crypto';
import { ALL_TENANTS, type TenantScope } from '../access/management-access';
import { SecurityEvents } from '../events/security-events';
import { type DeviceClaim, isDeviceOf } from '../interactions/device-cookies';
import { IDENTITY_CLIENT } from '../tokens';
import { DeviceError } from './device-errors';
import type { TrustedDevice, TrustLevel } from './trusted-device.entity';
import { TrustedDevicesRepository } from './trusted-devices.repository';

const DAY_MS = 86_400_000;
/** The tenant setting's bounds (identity backend): a stored value outside them is clamped, never trusted longer. */
const MIN_DAYS = 1;
const MAX_DAYS = 365;

export interface Account {
  userId: string;
  tenantId: string;
}

/** Whose devices a request reaches: the signed-in user's own (/me), or the users of a TenantScope (administrators). */
export type DeviceAccess = { readonly owner: Account } | { readonly scope: TenantScope };

/** The device id as stored: the row names the device without holding what the cookie carries. */
export const deviceHashOf = (deviceId: string): string => createHash('sha256').update(deviceId).digest('hex');

/** "Chrome on Linux": browser and system, no versions; null when neither is recognised. */
export function userAgentFamily(userAgent: string): string | null {
  const { browser, system } = deviceOf(userAgent);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system;
}

/**
 * The trusted-device store (issue 16, OWASP's device cookies taken one step further): a browser the
 * user chose to remember after a second factor skips it at their next sign-ins, while the tenant
 * allows it (interactions/steps/mfa.step.ts decides). The device cookie only says which browser
 * this is; whether it is trusted is this store's answer, so revoking the row ends the trust at once.
 */
@Injectable()
export class TrustedDevices {
  private readonly logger = new Logger('TrustedDevices');

  constructor(
    private readonly repository: TrustedDevicesRepository,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly security: SecurityEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * The trust this browser holds for this account now, or null: its device cookie must name the
   * same user and tenant (another account's cookie never counts), and the store must hold the
   * device trusted, not expired and not revoked. A hit counts as the device's last sign-in.
   */
  trustedFor(account: Account, claim: DeviceClaim | null): Promise<TrustedDevice | null> {
    if (!isDeviceOf(claim, account)) return Promise.resolve(null);
    return this.repository.touchActive(
      account.tenantId,
      account.userId,
      deviceHashOf(claim.deviceId),
      this.clock.now(),
    );
  }

  /** Trusts the browser `deviceId` for `days` after a second factor (`strong` when it was a passkey). */
  async trust(
    account: Account,
    deviceId: string,
    signIn: { amr: readonly string[]; userAgent: string; days: number; clientId: string },
  ): Promise<TrustedDevice> {
    const now = this.clock.now();
    const days = Math.min(MAX_DAYS, Math.max(MIN_DAYS, Math.floor(signIn.days)));
    const trustLevel: TrustLevel = signIn.amr.some((m) => m === 'hwk' || m === 'swk') ? 'strong' : 'remembered';
    const device = await this.repository.trust(
      {
        tenantId: account.tenantId,
        userId: account.userId,
        deviceHash: deviceHashOf(deviceId),
        trustLevel,
        userAgentFamily: userAgentFamily(signIn.userAgent),
        trustedUntil: new Date(now.getTime() + days * DAY_MS),
      },
      now,
    );
    await this.security.record({
      type: SecurityEventTypes.deviceTrusted,
      subject: account.userId,
      tenantId: account.tenantId,
      data: {
        userId: account.userId,
        deviceId: device.id,
        trustLevel,
        trustedUntil: device.trustedUntil.toISOString(),
        clientId: signIn.clientId,
      },
    });
    this.logger.log(`device ${device.id} of user ${account.userId} trusted (${trustLevel}) for ${days} days`);
    return device;
  }

  /** The user's trusted devices (unexpired, unrevoked), last seen first. */
  async list(access: DeviceAccess, userId: string): Promise<TrustedDevice[]> {
    return this.repository.list(await this.scopeOf(access, userId), userId, this.clock.now());
  }

  /** The caller's own devices, the browser of the request (its device cookie) marked `current`. */
  async listMine(owner: Account, claim: DeviceClaim | null): Promise<(TrustedDevice & { current: boolean })[]> {
    const currentHash = isDeviceOf(claim, owner) ? deviceHashOf(claim.deviceId) : null;
    const devices = await this.list({ owner }, owner.userId);
    return devices.map((device) => ({ ...device, current: device.deviceHash === currentHash }));
  }

  /** Ends a device's trust: the next sign-in on it asks for the second factor again. */
  async revoke(access: DeviceAccess, userId: string, deviceId: string, actor: string): Promise<void> {
    const scope = await this.scopeOf(access, userId);
    const revoked = isUUID(deviceId) ? await this.repository.revoke(scope, userId, deviceId, this.clock.now()) : null;
    if (!revoked) throw new DeviceError('device_not_found', 'Trusted device not found');
    await this.security.record({
      type: SecurityEventTypes.deviceRevoked,
      subject: userId,
      tenantId: revoked.tenantId,
      data: { userId, deviceId: revoked.id, actor },
    });
    this.logger.log(`device ${revoked.id} of user ${userId} no longer trusted (revoked by ${actor})`);
  }

  /**
   * A user reaches their own devices (in their tenant); administrators their tenant's users'
   * (platform administrators anyone's); anyone else 404, like a user who does not exist.
   */
  private async scopeOf(access: DeviceAccess, userId: string): Promise<TenantScope> {
    if ('owner' in access) {
      if (access.owner.userId === userId) return access.owner.tenantId;
    } else {
      if (access.scope === ALL_TENANTS) return ALL_TENANTS;
      const tenantId = await this.identity
        .userClaims(userId, ['openid'])
        .then((claims) => claims.tenant_id)
        .catch(() => null);
      if (tenantId === access.scope) return access.scope;
    }
    throw new DeviceError('user_not_found', 'User not found');
  }
}
