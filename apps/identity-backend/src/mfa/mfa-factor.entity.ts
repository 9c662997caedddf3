import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { User, UserOwned } from '../users/user.entity';

export type MfaFactorType = 'totp';

/** A second factor of a user. The TOTP seed is sealed with the data-encryption keyring. */
@Entity({ name: 'mfa_factors' })
@Index('UQ_mfa_factors_user_type', ['userId', 'type'], { unique: true })
export class MfaFactor extends WithCreatedAt(UserOwned) {
  @References(() => User, 'user_id', 'FK_mfa_factors_user', 'CASCADE')
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  type!: MfaFactorType;

  @Column({ type: 'text' })
  secretSealed!: string;

  /** Null until the user proved possession with a first code. */
  @Column({ type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** The last accepted 30-second time step: a code is usable once. */
  @Column({ type: 'bigint', default: 0 })
  lastUsedStep!: string;
}
