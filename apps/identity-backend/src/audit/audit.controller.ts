import { applyDecorators, Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHideProperty, ApiPropertyOptional, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Authorize, ScopedTenant, TenantFilter } from '@platform/resource-server';
import { OkRoute, OptionalStringField, OptionalUuidField } from '@platform/runtime';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { Access } from '../common/access';
import { PageQueryDto, type Page } from '../common/page';
import type { AuditEntry } from './audit-entry.entity';
import { ALL_TENANTS } from './audit.repository';
import { ListAuditEventsQuery, ListUserAuditEventsQuery } from './queries/audit.queries';

// A server in another zone must not guess which local time was meant.
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An optional bound of the entries' time (`field`, recorded `relation` the instant): a date-time with an offset. */
const TimeBound = (field: 'from' | 'to', relation: string, example: string) =>
  applyDecorators(
    ApiPropertyOptional({
      description: `Only entries recorded ${relation} this instant (ISO 8601 date-time with an offset)`,
      format: 'date-time',
      example,
    }),
    IsOptional(),
    // Matches registers before IsISO8601, as when stacked (bottom-up): a refused value's messages keep their order.
    Matches(DATE_TIME_WITH_OFFSET, { message: `${field} must be a date-time with an offset (Z or ±hh:mm)` }),
    IsISO8601({ strict: true }),
  );

export class AuditQueryDto extends PageQueryDto {
  /** Read by @ScopedTenant() / @TenantFilter(); declared so the whitelist lets it through. */
  @ApiHideProperty() @IsOptional() @IsString() tenantId?: string;

  @OptionalStringField(100, { description: 'Only entries of this event type', example: 'identity.user.locked.v1' })
  action?: string;

  @OptionalStringField(255, { description: 'Only what this user or client did: its id, as in `actor`', maxLength: 255 })
  actor?: string;

  @TimeBound('from', 'at or after', '2026-12-01T00:00:00Z')
  from?: string;

  @TimeBound('to', 'before', '2026-12-02T00:00:00Z')
  to?: string;
}

/** The tenant's whole trail can also be narrowed to the entries about one user. */
export class AuditLogQueryDto extends AuditQueryDto {
  @OptionalUuidField({ description: 'Only entries about this user (their id)', format: 'uuid' })
  userId?: string;
}

const BAD_FILTER = {
  status: 400,
  description:
    '`validation_failed` (a malformed filter, e.g. a time without an offset), `invalid_time_range` (`from` not before `to`), `invalid_cursor`',
};

/** The audit trail, newest first. Read-only: there is no way to change it through the API. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('audit-events')
  @OkRoute("List the tenant's audit events", {
    description: 'Audit entries, newest first; pass nextCursor back as cursor for the next page',
  })
  @Authorize(Access.auditRead)
  @ApiQuery({
    name: 'tenantId',
    required: false,
    description:
      "Platform administrators: only this tenant's entries (without it: every tenant's). Others always read their token's tenant",
  })
  @ApiResponse(BAD_FILTER)
  list(@Query() query: AuditLogQueryDto, @TenantFilter() tenantId: string | null): Promise<Page<AuditEntry>> {
    return this.queries.execute(new ListAuditEventsQuery(tenantId ?? ALL_TENANTS, query));
  }

  @Get('users/:id/audit-events')
  @OkRoute("List a user's audit events", { description: 'Audit entries about one user, newest first' })
  @Authorize(Access.auditRead)
  @ApiQuery({
    name: 'tenantId',
    required: false,
    description: "Platform administrators: the user's tenant (others always act in their token's tenant)",
  })
  @ApiResponse(BAD_FILTER)
  forUser(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AuditQueryDto,
    @ScopedTenant() tenantId: string,
  ): Promise<Page<AuditEntry>> {
    return this.queries.execute(new ListUserAuditEventsQuery(tenantId, id, query));
  }
}
