import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isReservedPermission } from '@platform/contracts';
import { isUniqueViolation } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, roleEvent, userEvent } from '../../events/identity-events';
import { GroupsRepository } from '../../groups/groups.repository';
import { OperatorsTenant } from '../../tenants/operators-tenant';
import { existingUser, UsersRepository } from '../../users/users.repository';
import { Role } from '../role.entity';
import { RolesRepository } from '../roles.repository';

/** Every role belongs to a tenant, so none may hold a permission that grants platform-wide power. */
export function assertTenantPermissions(permissions: readonly string[]): void {
  const reserved = permissions.filter(isReservedPermission);
  if (reserved.length) {
    throw new IdentityError(
      IdentityErrorCode.ReservedPermission,
      'platform:*, authz-keys:* and authz-apis:* grant platform-wide power and cannot be put in a tenant role',
      { permissions: reserved },
    );
  }
}

/**
 * What the role handlers share: their dependencies, and the step of every change of an existing
 * role (in one transaction, the tenant's role or 404, then the change).
 */
abstract class RoleHandler {
  constructor(
    @InjectDataSource() protected readonly dataSource: DataSource,
    protected readonly roles: RolesRepository,
    protected readonly events: EventRecorder,
  ) {}

  /** `lock`: the role's row locked for the transaction, so concurrent edits do not lose one. */
  protected changeRole<T>(
    tenantId: string,
    roleId: string,
    change: (manager: EntityManager, role: Role) => Promise<T>,
    { lock = false } = {},
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const role = lock
        ? await this.roles.findByIdForUpdate(tenantId, roleId, manager)
        : await this.roles.findById(tenantId, roleId, manager);
      if (!role) throw new IdentityError(IdentityErrorCode.RoleNotFound, 'Role not found');
      return change(manager, role);
    });
  }
}

export class CreateRoleCommand extends Command<Role> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly description: string,
    readonly permissions: string[],
  ) {
    super();
  }
}

@CommandHandler(CreateRoleCommand)
export class CreateRoleHandler extends RoleHandler implements ICommandHandler<CreateRoleCommand> {
  async execute({ tenantId, name, description, permissions }: CreateRoleCommand): Promise<Role> {
    assertTenantPermissions(permissions);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const role = await this.roles.save(
          manager,
          Object.assign(new Role(), { tenantId, name, description, permissions }),
        );
        await this.events.record(manager, [roleEvent(EventTypes.roleCreated, role, { name, permissions })]);
        return role;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_roles_tenant_name')) {
        throw new IdentityError(IdentityErrorCode.RoleNameTaken, `A role named "${name}" already exists`);
      }
      throw error;
    }
  }
}

export class UpdateRoleCommand extends Command<Role> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
    readonly changes: { description?: string; permissions?: string[] },
  ) {
    super();
  }
}

@CommandHandler(UpdateRoleCommand)
export class UpdateRoleHandler extends RoleHandler implements ICommandHandler<UpdateRoleCommand> {
  execute({ tenantId, roleId, changes }: UpdateRoleCommand): Promise<Role> {
    assertTenantPermissions(changes.permissions ?? []);
    return this.changeRole(tenantId, roleId, async (manager, role) => {
      if (changes.description !== undefined) role.description = changes.description;
      if (changes.permissions !== undefined) role.permissions = changes.permissions;
      const saved = await this.roles.save(manager, role);
      await this.events.record(manager, [roleEvent(EventTypes.roleUpdated, saved, { permissions: saved.permissions })]);
      return saved;
    });
  }
}

export class ChangeRolePermissionsCommand extends Command<Role> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
    readonly add: string[],
    readonly remove: string[],
  ) {
    super();
  }
}

/** The permissions sub-resource: adds and/or removes some, under a row lock so concurrent edits do not lose one. */
@CommandHandler(ChangeRolePermissionsCommand)
export class ChangeRolePermissionsHandler extends RoleHandler implements ICommandHandler<ChangeRolePermissionsCommand> {
  execute({ tenantId, roleId, add, remove }: ChangeRolePermissionsCommand): Promise<Role> {
    assertTenantPermissions(add);
    return this.changeRole(
      tenantId,
      roleId,
      async (manager, role) => {
        const permissions = [...new Set([...role.permissions, ...add])].filter((p) => !remove.includes(p)).sort();
        if (permissions.join(' ') === [...role.permissions].sort().join(' ')) return role;
        role.permissions = permissions;
        const saved = await this.roles.save(manager, role);
        await this.events.record(manager, [roleEvent(EventTypes.roleUpdated, saved, { permissions })]);
        return saved;
      },
      { lock: true },
    );
  }
}

export class DeleteRoleCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
  ) {
    super();
  }
}

/**
 * A role still held by users or groups cannot be deleted: revoke it first, so every change of
 * who holds it is an event (roles_changed of the user, roles_changed of the group).
 */
@CommandHandler(DeleteRoleCommand)
export class DeleteRoleHandler extends RoleHandler implements ICommandHandler<DeleteRoleCommand> {
  constructor(
    @InjectDataSource() dataSource: DataSource,
    roles: RolesRepository,
    private readonly groups: GroupsRepository,
    events: EventRecorder,
  ) {
    super(dataSource, roles, events);
  }

  execute({ tenantId, roleId }: DeleteRoleCommand): Promise<void> {
    return this.changeRole(tenantId, roleId, async (manager, role) => {
      const members = await this.roles.countMembers(roleId, manager);
      const groups = await this.groups.countGroupsHolding(manager, roleId);
      if (members + groups > 0) {
        throw new IdentityError(
          IdentityErrorCode.RoleInUse,
          `The role is assigned to ${members} user(s) and ${groups} group(s)`,
          { members, groups },
        );
      }
      await this.roles.delete(manager, role);
      await this.events.record(manager, [roleEvent(EventTypes.roleDeleted, role, { name: role.name })]);
    });
  }
}

export class ChangeUserRolesCommand extends Command<Role[]> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly add: string[],
    readonly remove: string[],
    readonly actor: string | null,
    /** Only a platform administrator (or the bootstrap) gives or takes the operators' platform-admin role. */
    readonly actorIsPlatformAdmin = false,
  ) {
    super();
  }
}

/** Adds and/or removes role assignments of one user; returns the user's roles afterwards. */
@CommandHandler(ChangeUserRolesCommand)
export class ChangeUserRolesHandler implements ICommandHandler<ChangeUserRolesCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly events: EventRecorder,
    private readonly operators: OperatorsTenant,
  ) {}

  execute({ tenantId, userId, add, remove, actor, actorIsPlatformAdmin }: ChangeUserRolesCommand): Promise<Role[]> {
    return this.dataSource.transaction(async (manager) => {
      const user = existingUser(await this.users.findById(tenantId, userId, manager));
      const requested = [...add, ...remove];
      const found = await this.roles.findByIds(tenantId, requested, manager);
      const missing = requested.filter((id) => !found.some((r) => r.id === id));
      if (missing.length > 0)
        throw new IdentityError(IdentityErrorCode.RoleNotFound, 'Role not found', { roleIds: missing });
      // A role written before these permissions were reserved is not handed out any more; the
      // operators' platform-admin role is the one exception, and only a platform administrator's.
      const ordinary = await this.operators.ordinaryRoles(found, actorIsPlatformAdmin);
      assertTenantPermissions(ordinary.filter((role) => add.includes(role.id)).flatMap((role) => role.permissions));

      const before = new Set((await this.roles.rolesOfUser(tenantId, userId, manager)).map((r) => r.id));
      const added = add.filter((id) => !before.has(id));
      const removed = remove.filter((id) => before.has(id));
      await this.roles.assign(manager, tenantId, userId, added, actor);
      await this.roles.unassign(manager, tenantId, userId, removed);
      if (added.length + removed.length > 0) {
        await this.events.record(manager, [userEvent(EventTypes.userRolesChanged, user, { added, removed, actor })]);
      }
      return this.roles.rolesOfUser(tenantId, userId, manager);
    });
  }
}
