import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { User } from '../../users/user.entity';
import type { Role } from '../role.entity';
import { RolesRepository } from '../roles.repository';

export class GetRoleQuery extends Query<Role> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
  ) {
    super();
  }
}

@QueryHandler(GetRoleQuery)
export class GetRoleHandler implements IQueryHandler<GetRoleQuery> {
  constructor(private readonly roles: RolesRepository) {}

  async execute({ tenantId, roleId }: GetRoleQuery): Promise<Role> {
    const role = await this.roles.findById(tenantId, roleId);
    if (!role) throw new IdentityError(IdentityErrorCode.RoleNotFound, 'Role not found');
    return role;
  }
}

export class ListRoleMembersQuery extends Query<User[]> {
  constructor(
    readonly tenantId: string,
    readonly roleId: string,
    readonly limit: number,
    readonly afterUserId?: string,
  ) {
    super();
  }
}

@QueryHandler(ListRoleMembersQuery)
export class ListRoleMembersHandler implements IQueryHandler<ListRoleMembersQuery> {
  constructor(private readonly roles: RolesRepository) {}

  async execute({ tenantId, roleId, limit, afterUserId }: ListRoleMembersQuery): Promise<User[]> {
    if (!(await this.roles.findById(tenantId, roleId)))
      throw new IdentityError(IdentityErrorCode.RoleNotFound, 'Role not found');
    return this.roles.membersOf(tenantId, roleId, limit, afterUserId);
  }
}

export class EffectivePermissionsQuery extends Query<{ roles: Role[]; permissions: string[]; groups: string[] }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** What a user holds: their own roles and those of their groups (nested ones included), as tokens carry it. */
@QueryHandler(EffectivePermissionsQuery)
export class EffectivePermissionsHandler implements IQueryHandler<EffectivePermissionsQuery> {
  constructor(private readonly roles: RolesRepository) {}

  async execute({ tenantId, userId }: EffectivePermissionsQuery) {
    const { roles, groups } = await this.roles.effectiveAuthority(tenantId, userId);
    const full = await this.roles.findByIds(
      tenantId,
      roles.map((r) => r.id),
    );
    return {
      roles: full.sort((a, b) => a.name.localeCompare(b.name)),
      permissions: [...new Set(roles.flatMap((r) => r.permissions))].sort(),
      groups,
    };
  }
}
