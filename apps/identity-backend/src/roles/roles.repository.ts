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
    return manager
      .createQueryBuilder(Role, 'r')
      .innerJoin(UserRole, 'ur', 'ur.role_id = r.id')
      .where('r.tenant_id = :tenantId AND ur.user_id = :userId', { tenantId, userId })
      .orderBy('r.name', 'ASC')
      .getMany();
  }

  /**
   * A user's effective roles (their own plus those of every group they are in, directly or
   * through groups nested inside others) and the names of those groups, in ONE query: it runs on
   * every sign-in, refresh and userinfo call. UNION (not UNION ALL) ends the walk even if a cycle
   * slipped past the commands' check.
   */
  async effectiveAuthority(
    tenantId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EffectiveAuthority> {
    const rows: { kind: 'role' | 'group'; id: string; name: string; permissions: string[] | null }[] =
      await manager.query(
        `WITH RECURSIVE member_of(group_id) AS (
           SELECT gm.group_id FROM group_members gm WHERE gm.tenant_id = $1 AND gm.user_id = $2
           UNION
           SELECT gs.parent_group_id FROM group_subgroups gs JOIN member_of m ON gs.child_group_id = m.group_id
         )
         SELECT 'role' AS kind, r.id, r.name, r.permissions FROM roles r
          WHERE r.tenant_id = $1
            AND (r.id IN (SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = $2)
                 OR r.id IN (SELECT gr.role_id FROM group_roles gr JOIN member_of m ON m.group_id = gr.group_id))
         UNION ALL
         SELECT 'group', g.id, g.name, NULL FROM groups g JOIN member_of m ON m.group_id = g.id WHERE g.tenant_id = $1
         ORDER BY kind, name`,
        [tenantId, userId],
      );
    return {
      roles: rows
        .filter((r) => r.kind === 'role')
        .map(({ id, name, permissions }) => ({ id, name, permissions: permissions ?? [] })),
      groups: rows.filter((r) => r.kind === 'group').map((r) => r.name),
    };
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
