import { UuidKeyed, WithTimestamps } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';
import type { StandardClaims } from './standard-claims';

export type UserStatus = 'active' | 'locked' | 'disabled' | 'deleted';

/** The first columns of a row that belongs to one user (a credential, a factor, a link): its id and the user's. */
export abstract class UserOwned extends UuidKeyed {
  @Column({ type: 'uuid' })
  userId!: string;
}

@Entity({ name: 'users' })
@Index('UQ_users_tenant_email', ['tenantId', 'emailCanonical'], { unique: true })
@Index('UQ_users_tenant_username', ['tenantId', 'usernameCanonical'], { unique: true })
@Index('IDX_users_tenant_created', ['tenantId', 'createdAt', 'id'])
// Prefix search on email uses a text_pattern_ops index that TypeORM cannot describe.
@Index('IDX_users_tenant_email_prefix', { synchronize: false })
export class User extends WithTimestamps(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_users_tenant', 'RESTRICT')
  tenant?: Tenant;

  /** As the user typed it (for display and mail). */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  /** Folded form used for uniqueness and look-ups (see canonicalEmail). */
  @Column({ type: 'varchar', length: 320 })
  emailCanonical!: string;

  @Column({ type: 'boolean', default: false })
  emailVerified!: boolean;

  @Column({ type: 'varchar', length: 64, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  usernameCanonical!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: UserStatus;

  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  /** OIDC standard claims (name, given_name, locale, ...). */
  @Column({ type: 'jsonb', default: {} })
  profile!: StandardClaims;

  /** Tenant-defined custom attributes. */
  @Column({ type: 'jsonb', default: {} })
  attributes!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  /** Set by an admin-issued temporary password. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  /** Failed sign-ins since the last success or lock. */
  @Column({ type: 'int', default: 0 })
  failedLoginCount!: number;

  /** Locks so far in the current streak of failures: each one lasts twice as long (capped). */
  @Column({ type: 'int', default: 0 })
  lockCount!: number;

  /** Temporary lock after too many failures; unrelated to an administrator's lock (status). */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
