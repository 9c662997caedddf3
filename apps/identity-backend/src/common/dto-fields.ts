import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/;
const NAME_MESSAGE = 'name may contain letters, digits, spaces, dots, dashes and underscores';

/**
 * The name of a role or a group (unique in its tenant): 1 to 100 letters, digits, spaces, dots,
 * dashes and underscores, starting with a letter or digit. Optional where a body may leave it as it is.
 */
export function NameField(options: { example: string } | { optional: true }): PropertyDecorator {
  return applyDecorators(
    ...('optional' in options ? [ApiPropertyOptional(), IsOptional()] : [ApiProperty({ example: options.example })]),
    IsString(),
    Length(1, 100),
    Matches(NAME, { message: NAME_MESSAGE }),
  );
}

/** A role's or a group's optional description: free text up to 500 characters. */
export function DescriptionField(): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional(), IsOptional(), IsString(), MaxLength(500));
}

/**
 * An object of the DTO class `type` inside a body: validated as that class and documented as it
 * (with `description`, if given). Optional where the body may leave it out.
 */
export function NestedField(
  type: new () => object,
  { optional, description }: { optional?: true; description?: string } = {},
): PropertyDecorator {
  const documented = description === undefined ? { type } : { type, description };
  return applyDecorators(
    ...(optional ? [ApiPropertyOptional(documented), IsOptional()] : [ApiProperty(documented)]),
    ValidateNested(),
    Type(() => type),
  );
}
