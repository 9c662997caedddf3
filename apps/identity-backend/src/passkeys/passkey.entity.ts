import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { References } from '../common/references';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';

/** A user's WebAuthn credential: only its public key is kept (the private key never leaves the authenticator). */
@Entity({ name: 'passkeys' })
@Index('UQ_passkeys_tenant_credential', ['tenantId', 'credentialId'], { unique: true })
@Index('IDX_passkeys_user', ['userId'])
export class Passkey extends WithCreatedAt(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_passkeys_tenant', 'RESTRICT')
  tenant?: Tenant;

  @Column({ type: 'uuid' })
  userId!: string;

  @References(() => User, 'user_id', 'FK_passkeys_user', 'CASCADE')
  user?: User;

  /** base64url, as the browser reports it. */
  @Column({ type: 'varchar', length: 1400 })
  credentialId!: string;

  /** COSE-encoded public key. */
  @Column({ type: 'bytea' })
  publicKey!: Buffer;

  /** The authenticator's signature counter at the last accepted use; a lower one means a clone. */
  @Column({ type: 'bigint', default: 0 })
  signCount!: string;

  @Column({ type: 'text', array: true, default: '{}' })
  transports!: string[];

  /** The authenticator model (all zeros when it does not say). */
  @Column({ type: 'uuid' })
  aaguid!: string;

  /** singleDevice (device-bound) or multiDevice (may be synced). */
  @Column({ type: 'varchar', length: 16 })
  deviceType!: 'singleDevice' | 'multiDevice';

  /** Synced to a cloud keychain: a software-protected copy may exist elsewhere (amr swk, not hwk). */
  @Column({ type: 'boolean', default: false })
  backedUp!: boolean;

  /** Given by the user ("Work laptop"). */
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}

export type PasskeyCeremony = 'registration' | 'authentication';

/** A ceremony's challenge, kept server-side: short-lived and consumed by its first use. */
@Entity({ name: 'passkey_challenges' })
@Index('IDX_passkey_challenges_expires', ['expiresAt'])
export class PasskeyChallenge {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  challenge!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: PasskeyCeremony;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @References(() => Tenant, 'tenant_id', 'FK_passkey_challenges_tenant', 'CASCADE')
  tenant?: Tenant;

  /** Set when the ceremony is for a known user (registration, second factor, a given login). */
  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  userVerification!: 'required' | 'preferred';

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
