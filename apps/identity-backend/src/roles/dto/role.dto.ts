import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsOptional, Matches } from 'class-validator';
import { DescriptionField, NameField } from '../../common/dto-fields';
import { IdList } from '../../common/id-list';
import type { Role } from '../role.entity';

// The shape only: permissions that grant platform power (platform:*, authz-keys:*, authz-apis:*)
// are refused by the role commands with their own code, reserved_permission.
const PERMISSION = /^[a-z][a-z0-9_.-]{0,63}:[a-z][a-z0-9_.-]{0,63}$/;
const PERMISSION_MESSAGE = 'each permission must look like resource:action (lower case, no wildcards), e.g. users:read';

/** Up to 200 distinct permissions; optional in a body that may leave them as they are, else at least one. */
function PermissionList(api: ApiPropertyOptions, options: { optional?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    ...(options.optional
      ? [ApiPropertyOptional(api), IsOptional(), IsArray()]
      : [ApiProperty(api), IsArray(), ArrayMinSize(1)]),
    ArrayMaxSize(200),
    ArrayUnique(),
    Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE }),
  );
}

export class CreateRoleDto {
  @NameField({ example: 'support-agent' })
  name!: string;

  @DescriptionField()
  description?: string;

  @PermissionList({ type: [String], example: ['users:read'] }, { optional: true })
  permissions?: string[];
}

export class UpdateRoleDto {
  @DescriptionField()
  description?: string;

  @PermissionList({ type: [String], description: 'Replaces the role permissions' }, { optional: true })
  permissions?: string[];
}

export class RolePermissionsDto {
  @PermissionList({ type: [String], example: ['users:read'], description: 'Permissions to add to the role' })
  permissions!: string[];
}

export class AssignRolesDto {
  @IdList(50, 'Role ids to add to the user')
  roleIds!: string[];
}

export class RoleView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) permissions!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(role: Role): RoleView {
    const { id, tenantId, name, description, permissions, createdAt, updatedAt } = role;
    return Object.assign(new RoleView(), { id, tenantId, name, description, permissions, createdAt, updatedAt });
  }
}

export class EffectivePermissionsView {
  @ApiProperty({ type: [RoleView], description: "The user's own roles and those of their groups" }) roles!: RoleView[];
  @ApiProperty({ type: [String], description: 'Union of the permissions of all roles, sorted' }) permissions!: string[];
  @ApiProperty({ type: [String], description: 'Every group the user is in, directly or through nesting' })
  groups!: string[];
}
