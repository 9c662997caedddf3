import { UuidKeyed, WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';

/** `strong` when the second factor that trusted the browser was a passkey (amr hwk/swk), else `remembered`. */
export type TrustLevel = 'remembered' | 'strong';

/**
 * A browser the user chose to remember at the second factor ("Remember this device for N days").
 * The browser is the device cookie's random device id (interactions/device-cookies.ts), kept here
 * only as its SHA-256: the row names the device, the cookie (MACed, HttpOnly) proves it. Trust is
 * this row, never the cookie alone: revoking it (the user, an administrator, the account's
 * lifecycle) brings the second factor back at once. One row per tenant, user and device; trusting
 * the device again renews the row. Its `id` is the public one: lists and revocation name it, never
 * the device id.
 */
@Entity({ name: 'trusted_devices' })
@Index('UQ_trusted_devices_tenant_user_device', ['tenantId', 'userId', 'deviceHash'], { unique: true })
@Index('IDX_trusted_devices_user', ['userId'])
export class TrustedDevice extends WithCreatedAt(UuidKeyed) {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** SHA-256 (hex) of the device cookie's device id. */
  @Column({ type: 'char', length: 64 })
  deviceHash!: string;

  @Column({ type: 'varchar', length: 16 })
  trustLevel!: TrustLevel;

  /** "Firefox on Windows" (coarse: no versions), from the User-Agent of the sign-in that trusted it. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  userAgentFamily!: string | null;

  /** When trust was last given (the row's creation, or a renewal); the lifecycle revocations cut off here. */
  @Column({ type: 'timestamptz' })
  trustedAt!: Date;

  /** The last sign-in of this user on this device (trusting it, or skipping the second factor on it). */
  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ type: 'timestamptz' })
  trustedUntil!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
