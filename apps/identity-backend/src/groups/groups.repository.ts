import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedAny } from '@platform/database';
import { DataSource, type EntityManager, In, Not } from 'typeorm';
import { Role } from '../roles/role.entity';
import { rolesLinkedTo } from '../roles/roles.repository';
import { User } from '../users/user.entity';
import { usersLinkedTo } from '../users/users.repository';
import { Group, GroupMember, GroupRole, GroupSubgroup } from './group.entity';

/** Every method takes the tenant first (or a group already found in it): groups never cross tenants. */
@Injectable()
export class GroupsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Group | null> {
    return manager.findOneBy(Group, { tenantId, id });
  }

  findByIds(tenantId: string, ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Group[]> {
    return manager.findBy(Group, { tenantId, id: In(ids) });
  }

  list(tenantId: string): Promise<Group[]> {
    return this.dataSource.manager.find(Group, { where: { tenantId }, order: { name: 'ASC' } });
  }

  save(manager: EntityManager, group: Group): Promise<Group> {
    return manager.save(Group, group);
  }

  async delete(manager: EntityManager, group: Group): Promise<void> {
    await manager.delete(Group, { tenantId: group.tenantId, id: group.id });
  }

  /**
   * Serialises the tenant's changes to group nesting (until the transaction ends), so two
   * concurrent links A→B and B→A cannot both pass the cycle check.
   */
  async lockNesting(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('group-nesting:' || $1))`, [tenantId]);
  }

  /** Which of `ids` are users of the tenant (deleted ones excepted). */
  async usersOfTenant(manager: EntityManager, tenantId: string, ids: string[]): Promise<string[]> {
    const users = await manager.find(User, {
      select: { id: true },
      where: { tenantId, id: In(ids), status: Not('deleted') },
    });
    return users.map((u) => u.id);
  }

  async memberIds(manager: EntityManager, groupId: string, userIds: string[]): Promise<string[]> {
    const rows = await manager.findBy(GroupMember, { groupId, userId: In(userIds) });
    return rows.map((r) => r.userId);
  }

  async addMembers(manager: EntityManager, group: Group, userIds: string[], actor: string | null): Promise<void> {
    await manager.insert(
      GroupMember,
      userIds.map((userId) => ({ groupId: group.id, userId, tenantId: group.tenantId, addedBy: actor })),
    );
  }

  async removeMember(manager: EntityManager, group: Group, userId: string): Promise<boolean> {
    return affectedAny(await manager.delete(GroupMember, { groupId: group.id, userId }));
  }

  membersOf(tenantId: string, groupId: string, limit: number, afterUserId?: string): Promise<User[]> {
    const group = { tenantId, ownerColumn: 'group_id', ownerId: groupId } as const;
    return usersLinkedTo(this.dataSource.manager, GroupMember, group, limit, afterUserId);
  }

  /** The groups a user is directly in. */
  groupsOfUser(tenantId: string, userId: string): Promise<Group[]> {
    return this.dataSource.manager
      .createQueryBuilder(Group, 'g')
      .innerJoin(GroupMember, 'gm', 'gm.group_id = g.id')
      .where('g.tenant_id = :tenantId AND gm.user_id = :userId', { tenantId, userId })
      .orderBy('g.name', 'ASC')
      .getMany();
  }

  subgroupsOf(tenantId: string, groupId: string, manager: EntityManager = this.dataSource.manager): Promise<Group[]> {
    return manager
      .createQueryBuilder(Group, 'g')
      .innerJoin(GroupSubgroup, 'gs', 'gs.child_group_id = g.id')
      .where('gs.tenant_id = :tenantId AND gs.parent_group_id = :groupId', { tenantId, groupId })
      .orderBy('g.name', 'ASC')
      .getMany();
  }

  /**
   * Which of `childIds` would close a cycle under `parentId`: the parent itself, or any group
   * that already contains the parent at some depth.
   */
  async cycleClosers(manager: EntityManager, parentId: string, childIds: string[]): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH RECURSIVE ancestors(id) AS (
         SELECT $1::uuid
         UNION
         SELECT gs.parent_group_id FROM group_subgroups gs JOIN ancestors a ON gs.child_group_id = a.id
       )
       SELECT id FROM ancestors WHERE id = ANY($2::uuid[])`,
      [parentId, childIds],
    );
    return rows.map((r) => r.id);
  }

  async addSubgroups(
    manager: EntityManager,
    parent: Group,
    childIds: string[],
    actor: string | null,
  ): Promise<string[]> {
    const existing = await manager.findBy(GroupSubgroup, { parentGroupId: parent.id, childGroupId: In(childIds) });
    const added = childIds.filter((id) => !existing.some((e) => e.childGroupId === id));
    if (added.length > 0) {
      await manager.insert(
        GroupSubgroup,
        added.map((childGroupId) => ({
          parentGroupId: parent.id,
          childGroupId,
          tenantId: parent.tenantId,
          addedBy: actor,
        })),
      );
    }
    return added;
  }

  async removeSubgroup(manager: EntityManager, parent: Group, childId: string): Promise<boolean> {
    return affectedAny(await manager.delete(GroupSubgroup, { parentGroupId: parent.id, childGroupId: childId }));
  }

  rolesOf(tenantId: string, groupId: string, manager: EntityManager = this.dataSource.manager): Promise<Role[]> {
    return rolesLinkedTo(manager, GroupRole, { tenantId, ownerColumn: 'group_id', ownerId: groupId });
  }

  async addRoles(manager: EntityManager, group: Group, roleIds: string[], actor: string | null): Promise<void> {
    await manager.insert(
      GroupRole,
      roleIds.map((roleId) => ({ groupId: group.id, roleId, tenantId: group.tenantId, assignedBy: actor })),
    );
  }

  async removeRole(manager: EntityManager, group: Group, roleId: string): Promise<boolean> {
    return affectedAny(await manager.delete(GroupRole, { groupId: group.id, roleId }));
  }

  /** How many groups hold a role (a role still held cannot be deleted). */
  countGroupsHolding(manager: EntityManager, roleId: string): Promise<number> {
    return manager.countBy(GroupRole, { roleId });
  }
}
