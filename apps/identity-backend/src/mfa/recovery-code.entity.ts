import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { User, UserOwned } from '../users/user.entity';

/** Single-use recovery codes, stored as SHA-256 (they carry 50 bits of entropy). */
@Entity({ name: 'recovery_codes' })
@Index('IDX_recovery_codes_user', ['userId'])
export class RecoveryCode extends WithCreatedAt(UserOwned) {
  @References(() => User, 'user_id', 'FK_recovery_codes_user', 'CASCADE')
  user?: User;

  @Column({ type: 'char', length: 64 })
  codeHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
