import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, groupEvent, type IdentityEventType } from '../../events/identity-events';
import { assertTenantPermissions } from '../../roles/commands/role.commands';
import type { Role } from '../../roles/role.entity';
import { RolesRepository } from '../../roles/roles.repository';
import { Group } from '../group.entity';
import { GroupsRepository } from '../groups.repository';

/** Refuses a change naming ids that are not the tenant's: the error lists them under `key`. */
function assertFound(requested: string[], found: Iterable<string>, code: IdentityErrorCode, what: string, key: string) {
  const known = new Set(found);
  const missing = requested.filter((id) => !known.has(id));
  if (missing.length > 0) throw new IdentityError(code, `${what} not found`, { [key]: missing });
}

function nameTaken(error: unknown, name: string): unknown {
  return isUniqueViolation(error, 'UQ_groups_tenant_name')
    ? new IdentityError(IdentityErrorCode.GroupNameTaken, `A group named "${name}" already exists`)
    : error;
}

/**
 * What the group handlers share: their dependencies, and the step of every change of an existing
 * group (in one transaction, the tenant's group or 404, then the change).
 */
abstract class GroupHandler {
  constructor(
    @InjectDataSource() protected readonly dataSource: DataSource,
    protected readonly groups: GroupsRepository,
    protected readonly events: EventRecorder,
  ) {}

  protected changeGroup<T>(
    tenantId: string,
    groupId: string,
    change: (manager: EntityManager, group: Group) => Promise<T>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const group = await this.groups.findById(tenantId, groupId, manager);
      if (!group) throw new IdentityError(IdentityErrorCode.GroupNotFound, 'Group not found');
      return change(manager, group);
    });
  }
}

export class CreateGroupCommand extends Command<Group> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly description: string,
    readonly actor: string | null,
  ) {
    super();
  }
}

@CommandHandler(CreateGroupCommand)
export class CreateGroupHandler extends GroupHandler implements ICommandHandler<CreateGroupCommand> {
  async execute({ tenantId, name, description, actor }: CreateGroupCommand): Promise<Group> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const group = await this.groups.save(manager, Object.assign(new Group(), { tenantId, name, description }));
        await this.events.record(manager, [groupEvent(EventTypes.groupCreated, group, { name, actor })]);
        return group;
      });
    } catch (error) {
      throw nameTaken(error, name);
    }
  }
}

export class UpdateGroupCommand extends Command<Group> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
    readonly changes: { name?: string; description?: string },
    readonly actor: string | null,
  ) {
    super();
  }
}

@CommandHandler(UpdateGroupCommand)
export class UpdateGroupHandler extends GroupHandler implements ICommandHandler<UpdateGroupCommand> {
  async execute({ tenantId, groupId, changes, actor }: UpdateGroupCommand): Promise<Group> {
    try {
      return await this.changeGroup(tenantId, groupId, async (manager, group) => {
        const changed = (['name', 'description'] as const).filter(
          (field) => changes[field] !== undefined && changes[field] !== group[field],
        );
        for (const field of changed) group[field] = changes[field]!;
        if (changed.length === 0) return group;
        const saved = await this.groups.save(manager, group);
        await this.events.record(manager, [groupEvent(EventTypes.groupUpdated, saved, { changed, actor })]);
        return saved;
      });
    } catch (error) {
      throw nameTaken(error, changes.name ?? '');
    }
  }
}

export class DeleteGroupCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
    readonly actor: string | null,
  ) {
    super();
  }
}

/** Deleting a group ends its memberships, role grants and nesting (the members lose its roles at their next token). */
@CommandHandler(DeleteGroupCommand)
export class DeleteGroupHandler extends GroupHandler implements ICommandHandler<DeleteGroupCommand> {
  execute({ tenantId, groupId, actor }: DeleteGroupCommand): Promise<void> {
    return this.changeGroup(tenantId, groupId, async (manager, group) => {
      await this.groups.lockNesting(manager, tenantId);
      await this.groups.delete(manager, group);
      await this.events.record(manager, [groupEvent(EventTypes.groupDeleted, group, { name: group.name, actor })]);
    });
  }
}

/** The ids whose link `unlink` actually removed (absent ones are no change). */
async function removedOf(ids: string[], unlink: (id: string) => Promise<boolean>): Promise<string[]> {
  const removed: string[] = [];
  for (const id of ids) if (await unlink(id)) removed.push(id);
  return removed;
}

/** One event per request that changed something; none for a no-op. */
async function recordChange(
  events: EventRecorder,
  manager: EntityManager,
  type: IdentityEventType,
  group: Group,
  change: { added: string[]; removed: string[]; actor: string | null },
): Promise<void> {
  if (change.added.length + change.removed.length === 0) return;
  await events.record(manager, [groupEvent(type, group, change)]);
}

/** Adds and/or removes members, roles or subgroups of one group: the three share this shape. */
abstract class GroupLinksCommand<T> extends Command<T> {
  constructor(
    readonly tenantId: string,
    readonly groupId: string,
    readonly add: string[],
    readonly remove: string[],
    readonly actor: string | null,
  ) {
    super();
  }
}

export class ChangeGroupMembersCommand extends GroupLinksCommand<void> {}

@CommandHandler(ChangeGroupMembersCommand)
export class ChangeGroupMembersHandler extends GroupHandler implements ICommandHandler<ChangeGroupMembersCommand> {
  execute({ tenantId, groupId, add, remove, actor }: ChangeGroupMembersCommand): Promise<void> {
    return this.changeGroup(tenantId, groupId, async (manager, group) => {
      const known = await this.groups.usersOfTenant(manager, tenantId, add);
      assertFound(add, known, IdentityErrorCode.UserNotFound, 'User', 'userIds');
      const already = new Set(await this.groups.memberIds(manager, group.id, add));
      const added = add.filter((id) => !already.has(id));
      if (added.length > 0) await this.groups.addMembers(manager, group, added, actor);
      const removed = await removedOf(remove, (userId) => this.groups.removeMember(manager, group, userId));
      await recordChange(this.events, manager, EventTypes.groupMembersChanged, group, { added, removed, actor });
    });
  }
}

export class ChangeGroupRolesCommand extends GroupLinksCommand<Role[]> {}

/** Returns the group's roles afterwards. */
@CommandHandler(ChangeGroupRolesCommand)
export class ChangeGroupRolesHandler extends GroupHandler implements ICommandHandler<ChangeGroupRolesCommand> {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    groups: GroupsRepository,
    private readonly roles: RolesRepository,
    events: EventRecorder,
  ) {
    super(dataSource, groups, events);
  }

  execute({ tenantId, groupId, add, remove, actor }: ChangeGroupRolesCommand): Promise<Role[]> {
    return this.changeGroup(tenantId, groupId, async (manager, group) => {
      const found = await this.roles.findByIds(tenantId, add, manager);
      assertFound(
        add,
        found.map((role) => role.id),
        IdentityErrorCode.RoleNotFound,
        'Role',
        'roleIds',
      );
      // As for users: a role written before these permissions were reserved is not handed out any more.
      assertTenantPermissions(found.flatMap((role) => role.permissions));
      const before = new Set((await this.groups.rolesOf(tenantId, group.id, manager)).map((r) => r.id));
      const added = add.filter((id) => !before.has(id));
      if (added.length > 0) await this.groups.addRoles(manager, group, added, actor);
      const removed = await removedOf(remove, (roleId) => this.groups.removeRole(manager, group, roleId));
      await recordChange(this.events, manager, EventTypes.groupRolesChanged, group, { added, removed, actor });
      return this.groups.rolesOf(tenantId, group.id, manager);
    });
  }
}

export class ChangeSubgroupsCommand extends GroupLinksCommand<void> {}

/** Nesting: the subgroups' members become members of the group. A cycle (at any depth) is refused. */
@CommandHandler(ChangeSubgroupsCommand)
export class ChangeSubgroupsHandler extends GroupHandler implements ICommandHandler<ChangeSubgroupsCommand> {
  execute({ tenantId, groupId, add, remove, actor }: ChangeSubgroupsCommand): Promise<void> {
    return this.changeGroup(tenantId, groupId, async (manager, group) => {
      const found = await this.groups.findByIds(tenantId, add, manager);
      assertFound(
        add,
        found.map((group) => group.id),
        IdentityErrorCode.GroupNotFound,
        'Group',
        'groupIds',
      );
      await this.groups.lockNesting(manager, tenantId);
      if (add.length > 0) {
        const closers = await this.groups.cycleClosers(manager, group.id, add);
        if (closers.length > 0) {
          throw new IdentityError(
            IdentityErrorCode.GroupCycle,
            'A group cannot contain itself or a group that already contains it',
            { groupIds: closers },
          );
        }
      }
      const added = add.length > 0 ? await this.groups.addSubgroups(manager, group, add, actor) : [];
      const removed = await removedOf(remove, (childId) => this.groups.removeSubgroup(manager, group, childId));
      await recordChange(this.events, manager, EventTypes.groupSubgroupsChanged, group, { added, removed, actor });
    });
  }
}
