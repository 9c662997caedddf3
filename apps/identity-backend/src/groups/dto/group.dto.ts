import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import type { Group } from '../group.entity';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;
const NAME_MESSAGE = 'name may contain letters, digits, spaces, dots, dashes and underscores';

export class CreateGroupDto {
  @ApiProperty({ example: 'support-team' })
  @IsString()
  @Length(1, 100)
  @Matches(NAME, { message: NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateGroupDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(NAME, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class AddGroupMembersDto {
  @ApiProperty({ type: [String], description: 'User ids to add to the group' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  userIds!: string[];
}

export class AddSubgroupsDto {
  @ApiProperty({ type: [String], description: 'Group ids to put inside this group' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  groupIds!: string[];
}

export class GroupView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(group: Group): GroupView {
    const { id, tenantId, name, description, createdAt, updatedAt } = group;
    return Object.assign(new GroupView(), { id, tenantId, name, description, createdAt, updatedAt });
  }
}
