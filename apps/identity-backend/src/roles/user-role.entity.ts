import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { References } from '../common/references';
import { User } from '../users/user.entity';
import { Role } from './role.entity';

/**
 * What a grant of a role records besides its two ends: the tenant, who granted it and when
 * (user_roles, and group_roles for a group's roles).
 */
export abstract class RoleGrant {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  assignedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  assignedAt!: Date;
}

/** A role granted to a user (both in the same tenant). */
@Entity({ name: 'user_roles' })
@Index('IDX_user_roles_role', ['roleId'])
export class UserRole extends RoleGrant {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'uuid' })
  roleId!: string;

  @References(() => User, 'user_id', 'FK_user_roles_user', 'CASCADE')
  user?: User;

  @References(() => Role, 'role_id', 'FK_user_roles_role', 'CASCADE')
  role?: Role;
}
