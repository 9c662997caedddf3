import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { User, UserOwned } from '../users/user.entity';

export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** A link sent by email: single use, expiring, stored as SHA-256 only. */
@Entity({ name: 'email_tokens' })
@Index('UQ_email_tokens_hash', ['tokenHash'], { unique: true })
@Index('IDX_email_tokens_user', ['userId', 'purpose'])
export class EmailToken extends WithCreatedAt(UserOwned) {
  @References(() => User, 'user_id', 'FK_email_tokens_user', 'CASCADE')
  user?: User;

  @Column({ type: 'varchar', length: 32 })
  purpose!: EmailTokenPurpose;

  @Column({ type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  /** What the link applies, when it applies more than "this user" (the new address of an email change). */
  @Column({ type: 'jsonb', nullable: true })
  payload!: Record<string, string> | null;
}
