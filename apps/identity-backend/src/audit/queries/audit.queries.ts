import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor } from '../../common/cursor';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { type Page, paginate } from '../../common/page';
import { UsersRepository } from '../../users/users.repository';
import type { AuditEntry } from '../audit-entry.entity';
import { AuditError, AuditErrorCode } from '../audit-errors';
import { type AuditFilters, AuditRepository, type AuditTenant } from '../audit.repository';

export interface AuditPageRequest {
  limit: number;
  cursor?: string;
  action?: string;
  actor?: string;
  /** ISO 8601 instants (validated by the DTO): at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** The tenant-wide list only: entries about this user. */
  userId?: string;
}

/** The audit trail of one tenant, or of every tenant (platform administrators), newest first. */
export class ListAuditEventsQuery extends Query<Page<AuditEntry>> {
  constructor(
    readonly tenant: AuditTenant,
    readonly page: AuditPageRequest,
  ) {
    super();
  }
}

@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery> {
  constructor(private readonly audit: AuditRepository) {}

  async execute({ tenant, page }: ListAuditEventsQuery): Promise<Page<AuditEntry>> {
    return auditPage(this.audit, tenant, { ...filtersOf(page), targetId: page.userId }, page);
  }
}

/** The audit trail about one user of a tenant: 404 for a user the tenant does not have, like every user route. */
export class ListUserAuditEventsQuery extends Query<Page<AuditEntry>> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly page: AuditPageRequest,
  ) {
    super();
  }
}

@QueryHandler(ListUserAuditEventsQuery)
export class ListUserAuditEventsHandler implements IQueryHandler<ListUserAuditEventsQuery> {
  constructor(
    private readonly audit: AuditRepository,
    private readonly users: UsersRepository,
  ) {}

  async execute({ tenantId, userId, page }: ListUserAuditEventsQuery): Promise<Page<AuditEntry>> {
    const filters = filtersOf(page);
    // Deleted users keep their row (and their trail); another tenant's user is simply not found.
    if (!(await this.users.findById(tenantId, userId))) {
      throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    }
    return auditPage(this.audit, tenantId, { ...filters, targetId: userId }, page);
  }
}

// Audit ids are a bigint sequence, not UUIDs: the cursor carries the id as its value.
const NIL_UUID = '00000000-0000-4000-8000-000000000000';

/** The filters both lists share; a range that holds no instant is refused rather than answered empty. */
function filtersOf({ action, actor, from, to }: AuditPageRequest): AuditFilters {
  const filters = { action, actor, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
  if (filters.from && filters.to && filters.from >= filters.to) {
    throw new AuditError(AuditErrorCode.InvalidTimeRange, '`from` must be before `to`', { from, to });
  }
  return filters;
}

async function auditPage(
  audit: AuditRepository,
  tenant: AuditTenant,
  filters: AuditFilters,
  { limit, cursor }: AuditPageRequest,
): Promise<Page<AuditEntry>> {
  const beforeId = cursor ? decodeCursor(cursor).value : undefined;
  if (beforeId !== undefined && !/^\d{1,19}$/.test(beforeId)) {
    throw new IdentityError(IdentityErrorCode.InvalidCursor, 'The cursor is not valid; start again without it');
  }
  const rows = await audit.list(tenant, filters, limit + 1, beforeId);
  return paginate(rows, limit, (last) => ({ value: last.id, id: NIL_UUID }));
}
