import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';

export type MfaFactorType = 'totp';

/** A second factor of a user. The TOTP seed is sealed with the data-encryption keyring. */
@Entity({ name: 'mfa_factors' })
@Index('UQ_mfa_factors_user_type', ['userId', 'type'], { unique: true })
export class MfaFactor {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_mfa_factors_user' })
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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
