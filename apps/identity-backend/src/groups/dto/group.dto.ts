import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IdList } from '../../common/id-list';
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
  @IdList(100, 'User ids to add to the group')
  userIds!: string[];
}

export class AddSubgroupsDto {
  @IdList(50, 'Group ids to put inside this group')
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
