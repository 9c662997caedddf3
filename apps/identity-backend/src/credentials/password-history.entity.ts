import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { User, UserOwned } from '../users/user.entity';

/** Earlier password hashes of a user, so recent passwords cannot be reused. */
@Entity({ name: 'password_history' })
@Index('IDX_password_history_user', ['userId', 'createdAt'])
export class PasswordHistory extends WithCreatedAt(UserOwned) {
  @References(() => User, 'user_id', 'FK_password_history_user', 'CASCADE')
  user?: User;

  @Column({ type: 'text' })
  passwordHash!: string;
}
