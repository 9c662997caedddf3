import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';

/**
 * An administrator acting as one of their tenant's users (issue 16), for a reason, until a time.
 * The start link's one-time ticket is kept hashed; the authorization server redeems it once, after
 * the administrator has signed in as themselves in the browser that opened the link.
 */
@Entity({ name: 'impersonations' })
@Index('IDX_impersonations_user', ['userId', 'expiresAt'])
@Index('IDX_impersonations_open', ['expiresAt'], { where: '"ended_at" IS NULL' })
@Index('UQ_impersonations_ticket', ['ticketHash'], { unique: true })
export class Impersonation extends WithCreatedAt(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_impersonations_tenant', 'CASCADE')
  tenant?: Tenant;

  /** The user acted as. */
  @Column({ type: 'uuid' })
  userId!: string;

  @References(() => User, 'user_id', 'FK_impersonations_user', 'CASCADE')
  user?: User;

  /** The administrator acting (a user of the same tenant, or a platform operator). */
  @Column({ type: 'uuid' })
  actorId!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  /** sha256 of the start link's ticket; null once redeemed. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ticketHash!: string | null;

  /** Until when the start link can be redeemed. */
  @Column({ type: 'timestamptz' })
  ticketExpiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  redeemedAt!: Date | null;

  /** The end of the impersonated session, whatever happens before. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** ended | expired. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  endReason!: string | null;
}
