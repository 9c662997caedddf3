import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { User } from '../users/user.entity';
import { usersLinkedTo } from '../users/users.repository';
import { BUILT_IN_ROLES } from './built-in-roles';
import { Role } from './role.entity';
import { UserRole } from './user-role.entity';

export interface EffectiveAuthority {
  roles: { id: string; name: string; permissions: string[] }[];
  /** Names of every group the user is in, directly or through nesting. */
  groups: string[];
}

type AuthorityRow = { kind: 'role' | 'group'; id: string; name: string; permissions: string[] | null };

/**
 * The tenant's roles a link table grants to one of its rows (a user's own roles, a group's), by
 * name. The link has role_id and the `ownerColumn` naming the row.
 */
export function rolesLinkedTo(
  manager: EntityManager,
  link: new () => object,
  { tenantId, ownerColumn, ownerId }: { tenantId: string; ownerColumn: 'user_id' | 'group_id'; ownerId: string },
): Promise<Role[]> {
  return manager
    .createQueryBuilder(Role, 'r')
    .innerJoin(link, 'link', 'link.role_id = r.id')
    .where(`r.tenant_id = :tenantId AND link.${ownerColumn} = :ownerId`, { tenantId, ownerId })
    .orderBy('r.name', 'ASC')
    .getMany();
}

/**
 * The CTE `member_of(group_id)`: the groups of the tenant `tenant` that the user `user` is in,
 * directly or through nesting (SQL expressions: parameters or an outer query's columns). UNION
 * (not UNION ALL) ends the walk even if a cycle slipped past the commands' check.
 */
export const memberOfCte = (tenant: string, user: string) => `WITH RECURSIVE member_of(group_id) AS (
    SELECT gm.group_id FROM group_members gm WHERE gm.tenant_id = ${tenant} AND gm.user_id = ${user}
    UNION
    SELECT gs.parent_group_id FROM group_subgroups gs JOIN member_of m ON gs.child_group_id = m.group_id
  )`;

/** Whether the user holds the role `r` (of their tenant) themselves or through a group of `member_of`. */
export const holdsRole = (user: string) =>
  `(r.id IN (SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = ${user})
    OR r.id IN (SELECT gr.role_id FROM group_roles gr JOIN member_of m ON m.group_id = gr.group_id))`;

/** The user's effective roles and groups as AuthorityRows. */
const authorityRows = (tenant: string, user: string) => `${memberOfCte(tenant, user)}
  SELECT 'role' AS kind, r.id, r.name, r.permissions FROM roles r WHERE r.tenant_id = ${tenant} AND ${holdsRole(user)}
  UNION ALL
  SELECT 'group', g.id, g.name, NULL FROM groups g JOIN member_of m ON m.group_id = g.id WHERE g.tenant_id = ${tenant}`;

const authorityOf = (rows: AuthorityRow[]): EffectiveAuthority => ({
  roles: rows
    .filter((r) => r.kind === 'role')
    .map(({ id, name, permissions }) => ({ id, name, permissions: permissions ?? [] })),
  groups: rows.filter((r) => r.kind === 'group').map((r) => r.name),
});

/** Every method takes the tenant first: roles are never looked up across tenants. */
@Injectable()
export class RolesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Role | null> {
    return manager.findOneBy(Role, { tenantId, id });
  }

  findByIdForUpdate(tenantId: string, id: string, manager: EntityManager): Promise<Role | null> {
    return manager.findOne(Role, { where: { tenantId, id }, lock: { mode: 'pessimistic_write' } });
  }

  findByIds(tenantId: string, ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return manager.findBy(Role, { tenantId, id: In(ids) });
  }

  findByName(tenantId: string, name: string, manager: EntityManager = this.dataSource.manager): Promise<Role | null> {
    return manager.findOneBy(Role, { tenantId, name });
  }

  list(tenantId: string): Promise<Role[]> {
    return this.dataSource.manager.find(Role, { where: { tenantId }, order: { name: 'ASC' } });
  }

  rolesOfUser(tenantId: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return rolesLinkedTo(manager, UserRole, { tenantId, ownerColumn: 'user_id', ownerId: userId });
  }

  /**
   * A user's effective roles (their own plus those of every group they are in, directly or
   * through groups nested inside others) and the names of those groups, in ONE query.
   */
  async effectiveAuthority(
    tenantId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EffectiveAuthority> {
    const rows: AuthorityRow[] = await manager.query(`${authorityRows('$1', '$2')} ORDER BY kind, name`, [
      tenantId,
      userId,
    ]);
    return authorityOf(rows);
  }

  /**
   * A user of any tenant with their effective authority, in ONE query: the claims of every token
   * issued (sign-in, refresh, userinfo) are read from it.
   */
  async userWithAuthority(userId: string): Promise<{ user: User; authority: EffectiveAuthority } | null> {
    const { entities, raw } = await this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .addSelect(
        `(SELECT coalesce(json_agg(a ORDER BY a.kind, a.name), '[]') FROM (${authorityRows('u.tenant_id', 'u.id')}) a)`,
        'authority',
      )
      .where('u.id = :userId', { userId })
      .getRawAndEntities<{ authority: AuthorityRow[] }>();
    return entities[0] ? { user: entities[0], authority: authorityOf(raw[0].authority) } : null;
  }

  membersOf(tenantId: string, roleId: string, limit: number, afterUserId?: string): Promise<User[]> {
    const role = { tenantId, ownerColumn: 'role_id', ownerId: roleId } as const;
    return usersLinkedTo(this.dataSource.manager, UserRole, role, limit, afterUserId);
  }

  countMembers(roleId: string, manager: EntityManager): Promise<number> {
    return manager.countBy(UserRole, { roleId });
  }

  save(manager: EntityManager, role: Role): Promise<Role> {
    return manager.save(Role, role);
  }

  /** The roles a new tenant starts with (BUILT_IN_ROLES), in the transaction that creates it. */
  async insertBuiltIns(manager: EntityManager, tenant: { id: string }): Promise<void> {
    await manager.insert(
      Role,
      BUILT_IN_ROLES.map((role) => ({ ...role, permissions: [...role.permissions], tenantId: tenant.id })),
    );
  }

  async delete(manager: EntityManager, role: Pick<Role, 'id' | 'tenantId'>): Promise<void> {
    await manager.delete(Role, { id: role.id, tenantId: role.tenantId });
  }

  /** Gives a user of the tenant these roles (none of which they hold yet). */
  async assign(
    manager: EntityManager,
    tenantId: string,
    userId: string,
    roleIds: string[],
    actor: string | null,
  ): Promise<void> {
    if (roleIds.length === 0) return;
    await manager.insert(
      UserRole,
      roleIds.map((roleId) => ({ userId, roleId, tenantId, assignedBy: actor })),
    );
  }

  async unassign(manager: EntityManager, tenantId: string, userId: string, roleIds: string[]): Promise<void> {
    for (const roleId of roleIds) await manager.delete(UserRole, { tenantId, userId, roleId });
  }
}
