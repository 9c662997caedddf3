import { WithTimestamps } from '@platform/database';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { References } from '../common/references';
import { Role } from '../roles/role.entity';
import { RoleGrant } from '../roles/user-role.entity';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';

/**
 * A link table's reference to a group of its own tenant: (column, tenant_id) -> groups (id, tenant_id),
 * so the database refuses a link across tenants; the link goes with the group.
 */
function SameTenantGroup(column: string, foreignKeyConstraintName: string): PropertyDecorator {
  const relation = ManyToOne(() => Group, { onDelete: 'CASCADE' });
  const join = JoinColumn([
    { name: column, referencedColumnName: 'id', foreignKeyConstraintName },
    { name: 'tenant_id', referencedColumnName: 'tenantId' },
  ]);
  return (target, property) => {
    join(target, property);
    relation(target, property);
  };
}

/** A tenant's group: its members (users, and the members of groups inside it) hold its roles. */
@Entity({ name: 'groups' })
@Index('UQ_groups_tenant_name', ['tenantId', 'name'], { unique: true })
// (id, tenant) is what the link tables reference: the database refuses a link across tenants.
@Unique('UQ_groups_id_tenant', ['id', 'tenantId'])
export class Group extends WithTimestamps(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_groups_tenant', 'RESTRICT')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;
}

/** What a group's link to a member or to a group inside it records besides its two ends: the tenant, who added it and when. */
abstract class GroupLink {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  addedBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  addedAt!: Date;
}

/** A user directly in a group. */
@Entity({ name: 'group_members' })
@Index('IDX_group_members_user', ['userId'])
export class GroupMember extends GroupLink {
  @PrimaryColumn({ type: 'uuid' })
  groupId!: string;

  @SameTenantGroup('group_id', 'FK_group_members_group')
  group?: Group;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @References(() => User, 'user_id', 'FK_group_members_user', 'CASCADE')
  user?: User;
}

/** A role granted to everyone in a group. */
@Entity({ name: 'group_roles' })
@Index('IDX_group_roles_role', ['roleId'])
export class GroupRole extends RoleGrant {
  @PrimaryColumn({ type: 'uuid' })
  groupId!: string;

  @SameTenantGroup('group_id', 'FK_group_roles_group')
  group?: Group;

  @PrimaryColumn({ type: 'uuid' })
  roleId!: string;

  @References(() => Role, 'role_id', 'FK_group_roles_role', 'CASCADE')
  role?: Role;
}

/** A group inside another: the child's members are members of the parent too. */
@Entity({ name: 'group_subgroups' })
@Index('IDX_group_subgroups_child', ['childGroupId'])
@Check('CHK_group_subgroups_not_self', '"parent_group_id" <> "child_group_id"')
export class GroupSubgroup extends GroupLink {
  @PrimaryColumn({ type: 'uuid' })
  parentGroupId!: string;

  @SameTenantGroup('parent_group_id', 'FK_group_subgroups_parent')
  parent?: Group;

  @PrimaryColumn({ type: 'uuid' })
  childGroupId!: string;

  @SameTenantGroup('child_group_id', 'FK_group_subgroups_child')
  child?: Group;
}
