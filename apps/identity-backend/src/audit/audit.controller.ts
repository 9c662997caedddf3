import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHideProperty, ApiOkResponse, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authorize, ScopedTenant, TenantFilter } from '@platform/resource-server';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Access } from '../common/access';
import { PageQueryDto, type Page } from '../common/page';
import type { AuditEntry } from './audit-entry.entity';
import { ALL_TENANTS } from './audit.repository';
import { ListAuditEventsQuery, ListUserAuditEventsQuery } from './queries/audit.queries';

export class AuditQueryDto extends PageQueryDto {
  /** Read by @ScopedTenant() / @TenantFilter(); declared so the whitelist lets it through. */
  @ApiHideProperty() @IsOptional() @IsString() tenantId?: string;

  @ApiPropertyOptional({ example: 'identity.user.locked.v1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
}

/** The audit trail, newest first. Read-only: there is no way to change it through the API. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1')
export class AuditController {
  constructor(private readonly queries: QueryBus) {}

  @Get('audit-events')
  @Authorize(Access.auditRead)
  @ApiQuery({
    name: 'tenantId',
    required: false,
    description:
      "Platform administrators: only this tenant's entries (without it: every tenant's). Others always read their token's tenant",
  })
  @ApiOkResponse({ description: 'Audit entries, newest first; pass nextCursor back as cursor for the next page' })
  list(@Query() query: AuditQueryDto, @TenantFilter() tenantId: string | null): Promise<Page<AuditEntry>> {
    return this.queries.execute(new ListAuditEventsQuery(tenantId ?? ALL_TENANTS, query));
  }

  @Get('users/:id/audit-events')
  @Authorize(Access.auditRead)
  @ApiQuery({
    name: 'tenantId',
    required: false,
    description: "Platform administrators: the user's tenant (others always act in their token's tenant)",
  })
  @ApiOkResponse({ description: 'Audit entries about one user, newest first' })
  forUser(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AuditQueryDto,
    @ScopedTenant() tenantId: string,
  ): Promise<Page<AuditEntry>> {
    return this.queries.execute(new ListUserAuditEventsQuery(tenantId, id, query));
  }
}
