import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags, ApiQuery } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Authorize, ScopedTenant } from '@platform/resource-server';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Access } from '../common/access';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { PageQueryDto, type Page } from '../common/page';
import { AuditEntry } from './audit-entry.entity';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'identity.user.locked.v1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;
}

/** The tenant's audit trail, newest first. Read-only: there is no way to change it through the API. */
@ApiTags('audit')
@ApiBearerAuth()
@ApiQuery({
  name: 'tenantId',
  required: false,
  description: "Platform administrators: the tenant to act in (others always act in their token's tenant)",
})
@Controller('api/v1')
export class AuditController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Get('audit-events')
  @Authorize(Access.auditRead)
  @ApiOkResponse({ description: 'Audit entries of the tenant, newest first' })
  list(@Query() query: AuditQueryDto, @ScopedTenant() tenantId: string): Promise<Page<AuditEntry>> {
    return this.page(tenantId, query);
  }

  @Get('users/:id/audit-events')
  @Authorize(Access.auditRead)
  @ApiOkResponse({ description: 'Audit entries about one user, newest first' })
  forUser(@Param('id', ParseUUIDPipe) id: string, @Query() query: AuditQueryDto, @ScopedTenant() tenantId: string) {
    return this.page(tenantId, query, id);
  }

  private async page(tenantId: string, query: AuditQueryDto, targetId?: string): Promise<Page<AuditEntry>> {
    const q = this.dataSource.manager
      .createQueryBuilder(AuditEntry, 'a')
      .where('a.tenant_id = :tenantId', { tenantId })
      .orderBy('a.id', 'DESC')
      .limit(query.limit + 1);
    if (targetId) q.andWhere('a.target_id = :targetId', { targetId });
    if (query.action) q.andWhere('a.action = :action', { action: query.action });
    if (query.cursor) {
      const { value } = decodeCursor(query.cursor);
      if (/^\d+$/.test(value)) q.andWhere('a.id < :before', { before: value });
    }
    const rows = await q.getMany();
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ value: last.id, id: '00000000-0000-4000-8000-000000000000' })
          : null,
    };
  }
}
