import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedRows } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';
import { ALL_TENANTS, type TenantScope } from '../access/management-access';
import { TrustedDevice, type TrustLevel } from './trusted-device.entity';

/** What trusting a device writes. */
export interface NewTrust {
  tenantId: string;
  userId: string;
  deviceHash: string;
  trustLevel: TrustLevel;
  userAgentFamily: string | null;
  trustedUntil: Date;
}

/**
 * The trusted-device rows. Every statement names the tenant (a TenantScope: one tenant, or all for
 * a platform administrator) and the user, so no call reaches another tenant's or user's devices.
 */
@Injectable()
export class TrustedDevicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Trusts the device, or renews its trust (level, duration, a revocation undone): one row per device. */
  async trust(trust: NewTrust, now: Date): Promise<TrustedDevice> {
    const [row] = await this.dataSource.query(
      `INSERT INTO trusted_devices
         (tenant_id, user_id, device_hash, trust_level, user_agent_family, created_at, trusted_at, last_seen_at, trusted_until)
       VALUES ($1, $2, $3, $4, $5, $6, $6, $6, $7)
       ON CONFLICT (tenant_id, user_id, device_hash) DO UPDATE
         SET trust_level = EXCLUDED.trust_level, user_agent_family = EXCLUDED.user_agent_family,
             trusted_at = EXCLUDED.trusted_at, last_seen_at = EXCLUDED.last_seen_at,
             trusted_until = EXCLUDED.trusted_until, revoked_at = NULL
       RETURNING id`,
      [
        trust.tenantId,
        trust.userId,
        trust.deviceHash,
        trust.trustLevel,
        trust.userAgentFamily,
        now,
        trust.trustedUntil,
      ],
    );
    return this.dataSource.manager.findOneByOrFail(TrustedDevice, { id: (row as { id: string }).id });
  }

  /** The device's trust when it holds at `now` (not revoked, not expired), with its last sign-in moved to `now`. */
  async touchActive(tenantId: string, userId: string, deviceHash: string, now: Date): Promise<TrustedDevice | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE trusted_devices SET last_seen_at = $4
        WHERE tenant_id = $1 AND user_id = $2 AND device_hash = $3 AND revoked_at IS NULL AND trusted_until > $4
       RETURNING id`,
      [tenantId, userId, deviceHash, now],
    );
    const id = (rows as { id: string }[])[0]?.id;
    return id ? this.dataSource.manager.findOneBy(TrustedDevice, { id }) : null;
  }

  /** The user's devices trusted at `now`, last seen first. */
  list(scope: TenantScope, userId: string, now: Date): Promise<TrustedDevice[]> {
    const query = this.dataSource.manager
      .createQueryBuilder(TrustedDevice, 'd')
      .where('d.userId = :userId AND d.revokedAt IS NULL AND d.trustedUntil > :now', { userId, now });
    if (scope !== ALL_TENANTS) query.andWhere('d.tenantId = :tenantId', { tenantId: scope });
    return query.orderBy('d.lastSeenAt', 'DESC').addOrderBy('d.id').getMany();
  }

  /** Ends one device's trust; null when the scope and user hold no such trusted device. */
  async revoke(scope: TenantScope, userId: string, id: string, now: Date): Promise<TrustedDevice | null> {
    const [rows] = await this.dataSource.query(
      `UPDATE trusted_devices SET revoked_at = $3
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND ($4::uuid IS NULL OR tenant_id = $4::uuid)
       RETURNING id`,
      [id, userId, now, scope === ALL_TENANTS ? null : scope],
    );
    const revoked = (rows as { id: string }[])[0]?.id;
    return revoked ? this.dataSource.manager.findOneBy(TrustedDevice, { id: revoked }) : null;
  }
}

/** Housekeeping: rows whose trust ended (expired or revoked) before `before`; nothing reads them any more. */
export async function pruneEndedTrust(dataSource: DataSource, before: Date): Promise<number> {
  const result = await dataSource.query(`DELETE FROM trusted_devices WHERE trusted_until < $1 OR revoked_at < $1`, [
    before,
  ]);
  return affectedRows(result);
}

/**
 * The user's account changed in a way that ends every trust given before `before` (disabled,
 * locked, password changed, second factor removed), or the user is gone (deleted: no rows stay).
 * In the caller's transaction (the lifecycle consumer's).
 */
export async function endTrustOfUser(
  manager: EntityManager,
  userId: string,
  before: Date,
  deleted: boolean,
): Promise<number> {
  const result = deleted
    ? await manager.query(`DELETE FROM trusted_devices WHERE user_id = $1`, [userId])
    : await manager.query(
        `UPDATE trusted_devices SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL AND trusted_at <= $2`,
        [userId, before],
      );
  return affectedRows(result);
}
