import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { IdList } from '../../common/id-list';
import type { Role } from '../role.entity';

// The shape only: permissions that grant platform power (platform:*, authz-keys:*, authz-apis:*)
// are refused by the role commands with their own code, reserved_permission.
const PERMISSION = /^[a-z][a-z0-9_.-]{0,63}:[a-z][a-z0-9_.-]{0,63}$/;
const PERMISSION_MESSAGE = 'each permission must look like resource:action (lower case, no wildcards), e.g. users:read';

export class CreateRoleDto {
  @ApiProperty({ example: 'support-agent' })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, {
    message: 'name may contain letters, digits, spaces, dots, dashes and underscores',
  })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: [String], example: ['users:read'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
  permissions?: string[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the role permissions' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
  permissions?: string[];
}

export class RolePermissionsDto {
  @ApiProperty({ type: [String], example: ['users:read'], description: 'Permissions to add to the role' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
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
