import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';

/** At most `max` characters (class-validator's MaxLength), or `[min, max]` (Length). */
export type StringLength = number | readonly [min: number, max: number];

const lengthOf = (length: StringLength) =>
  typeof length === 'number' ? MaxLength(length) : Length(length[0], length[1]);

/*
 * Properties of bodies and queries that many DTOs share, documented with `api` and validated as
 * their names say. The decorators apply in the order of the stack they stand for (bottom first),
 * so the messages of a refused value stay in the order they were.
 */

/** A string of `length`. */
export const StringField = (length: StringLength, api: ApiPropertyOptions = {}): PropertyDecorator =>
  applyDecorators(lengthOf(length), IsString(), ApiProperty(api));

/** As StringField, where the property may be left out. */
export const OptionalStringField = (length: StringLength, api: ApiPropertyOptions = {}): PropertyDecorator =>
  applyDecorators(lengthOf(length), IsString(), IsOptional(), ApiPropertyOptional(api));

/** An id (a UUID) the body or query may leave out, such as a tenant to act in. */
export const OptionalUuidField = (api: ApiPropertyOptions = {}): PropertyDecorator =>
  applyDecorators(IsUUID(), IsOptional(), ApiPropertyOptional(api));
