import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';

/** A request body's list of ids to link (members, roles, subgroups): 1 to `max` distinct UUIDs. */
export function IdList(max: number, description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: [String], description }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(max),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}
