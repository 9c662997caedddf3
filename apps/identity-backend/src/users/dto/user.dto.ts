import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { OptionalStringField, OptionalUuidField, StringField } from '@platform/runtime';
import { NestedField } from '../../common/dto-fields';
import { PageQueryDto } from '../../common/page';
import type { StandardClaims } from '../standard-claims';
import type { User, UserStatus } from '../user.entity';
import type { UserSort } from '../users.repository';
import { ProfileDto } from './profile.dto';

const USERNAME = /^[A-Za-z0-9._-]{3,64}$/;

export class CreateUserDto {
  @StringField(320, { example: 'ada@example.com' })
  email!: string;

  @OptionalStringField(1024, { description: 'Omit to create a user who signs in only through an external IdP' })
  password?: string;

  @ApiPropertyOptional({ description: 'Temporary password: the user must change it at next sign-in' })
  @IsOptional()
  @IsBoolean()
  temporaryPassword?: boolean;

  @ApiPropertyOptional({ example: 'ada' })
  @IsOptional()
  @Matches(USERNAME, { message: 'username must be 3-64 letters, digits, dots, dashes or underscores' })
  username?: string;

  @ApiPropertyOptional({ description: 'Mark the address verified (admin import)' })
  @IsOptional()
  @IsBoolean()
  emailVerified?: boolean;

  @NestedField(ProfileDto, { optional: true })
  profile?: ProfileDto;

  @ApiPropertyOptional({ description: 'Custom attributes (JSON object, at most 16 KB)' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  /** Deprecated: the `tenantId` query parameter, as on every other management route, says it. */
  @OptionalUuidField({
    deprecated: true,
    description:
      'Deprecated: pass `?tenantId=` like on every other route. Platform administrators only: the tenant to create ' +
      'the user in; naming a different tenant than the query parameter is a 400 `tenant_conflict`',
  })
  tenantId?: string;
}

export class RegisterUserDto {
  @StringField([1, 63], { example: 'acme', description: 'Tenant slug' })
  tenant!: string;

  @StringField(320, { example: 'ada@example.com' })
  email!: string;

  @StringField(1024)
  password!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(USERNAME, { message: 'username must be 3-64 letters, digits, dots, dashes or underscores' })
  username?: string;

  @NestedField(ProfileDto, { optional: true })
  profile?: ProfileDto;
}

export class UpdateAttributesDto {
  @ApiProperty({ description: 'Replaces all custom attributes (JSON object, at most 16 KB)' })
  @IsObject()
  attributes!: Record<string, unknown>;
}

export class StatusChangeDto {
  @OptionalStringField(500, { description: 'Why; kept with the user and in the audit trail', maxLength: 500 })
  reason?: string;
}

export const USER_STATUSES: UserStatus[] = ['active', 'locked', 'disabled', 'deleted'];
export const USER_SORTS: UserSort[] = ['createdAt', '-createdAt', 'email', '-email'];

export class ListUsersQueryDto extends PageQueryDto {
  /** Read by @ScopedTenant(); declared so the whitelist lets it through. */
  @ApiHideProperty() @IsOptional() @IsString() tenantId?: string;
  @ApiPropertyOptional({ enum: USER_STATUSES }) @IsOptional() @IsIn(USER_STATUSES) status?: UserStatus;
  @OptionalUuidField({ description: 'Role id' }) role?: string;
  @OptionalStringField(320, { description: 'Email prefix (case-insensitive, literal)' })
  email?: string;
  @OptionalStringField(64, { description: 'Username prefix (case-insensitive, literal)' })
  username?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) createdAfter?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) createdBefore?: string;
  @ApiPropertyOptional({ enum: USER_SORTS, default: '-createdAt' }) @IsOptional() @IsIn(USER_SORTS) sort: UserSort =
    '-createdAt';
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() emailVerified!: boolean;
  @ApiProperty({ nullable: true, type: String }) username!: string | null;
  @ApiProperty({ enum: USER_STATUSES }) status!: UserStatus;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty({ type: ProfileDto }) profile!: StandardClaims;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty() hasPassword!: boolean;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty({ nullable: true, type: Date }) lastLoginAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Set while failed sign-ins keep the account locked' })
  lockedUntil!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;

  static of(user: User): UserView {
    return Object.assign(new UserView(), {
      id: user.id,
      tenantId: user.tenantId,
      email: user.email,
      emailVerified: user.emailVerified,
      username: user.username,
      status: user.status,
      statusReason: user.statusReason,
      profile: user.profile,
      attributes: user.attributes,
      hasPassword: user.passwordHash !== null,
      mustChangePassword: user.mustChangePassword,
      lastLoginAt: user.lastLoginAt,
      lockedUntil: user.lockedUntil,
      createdAt: user.createdAt,
      updatedAt: user.updatedAt,
    });
  }
}
