import { ApiProperty } from '@nestjs/swagger';
import { DescriptionField, NameField } from '../../common/dto-fields';
import { IdList } from '../../common/id-list';
import type { Group } from '../group.entity';

export class CreateGroupDto {
  @NameField({ example: 'support-team' })
  name!: string;

  @DescriptionField()
  description?: string;
}

export class UpdateGroupDto {
  @NameField({ optional: true })
  name?: string;

  @DescriptionField()
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
