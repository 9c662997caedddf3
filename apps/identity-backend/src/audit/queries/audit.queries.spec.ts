import type { UsersRepository } from '../../users/users.repository';
import type { User } from '../../users/user.entity';
import type { AuditEntry } from '../audit-entry.entity';
import { ALL_TENANTS, type AuditFilters, type AuditRepository, type AuditTenant } from '../audit.repository';
import { encodeCursor } from '../../common/cursor';
import {
  ListAuditEventsHandler,
  ListAuditEventsQuery,
  ListUserAuditEventsHandler,
  ListUserAuditEventsQuery,
} from './audit.queries';

const entry = (id: string) => ({ id }) as AuditEntry;

/** An audit log of ids 5..1 (newest first) recording what it was asked. */
const fakeAudit = () => {
  const calls: { tenant: AuditTenant; beforeId?: string; targetId?: string }[] = [];
  const filtersSeen: AuditFilters[] = [];
  const audit = {
    async list(tenant: AuditTenant, filters: AuditFilters, limit: number, beforeId?: string) {
      calls.push({ tenant, beforeId, targetId: filters.targetId });
      filtersSeen.push(filters);
      const ids = ['5', '4', '3', '2', '1'].filter((id) => !beforeId || Number(id) < Number(beforeId));
      return ids.slice(0, limit).map(entry);
    },
  } as unknown as AuditRepository;
  return { audit, calls, filtersSeen };
};

describe('audit queries', () => {
  it('pages newest first with a cursor, across tenants when asked', async () => {
    const { audit, calls } = fakeAudit();
    const handler = new ListAuditEventsHandler(audit);
    const first = await handler.execute(new ListAuditEventsQuery(ALL_TENANTS, { limit: 2 }));
    expect(first.items.map((e) => e.id)).toEqual(['5', '4']);
    const second = await handler.execute(
      new ListAuditEventsQuery(ALL_TENANTS, { limit: 2, cursor: first.nextCursor! }),
    );
    expect(second.items.map((e) => e.id)).toEqual(['3', '2']);
    expect(calls.map((c) => [c.tenant, c.beforeId])).toEqual([
      [ALL_TENANTS, undefined],
      [ALL_TENANTS, '4'],
    ]);
  });

  it('refuses a cursor that does not hold an audit id', async () => {
    const handler = new ListAuditEventsHandler(fakeAudit().audit);
    const cursor = encodeCursor({ value: 'drop table', id: '00000000-0000-4000-8000-000000000000' });
    await expect(handler.execute(new ListAuditEventsQuery('t1', { limit: 2, cursor }))).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it("answers 404 for a user the tenant does not have, and reads only that user's entries otherwise", async () => {
    const { audit, calls } = fakeAudit();
    const users = {
      findById: async (tenantId: string, id: string) => (tenantId === 't1' && id === 'u1' ? ({ id } as User) : null),
    } as unknown as UsersRepository;
    const handler = new ListUserAuditEventsHandler(audit, users);
    await expect(handler.execute(new ListUserAuditEventsQuery('t2', 'u1', { limit: 2 }))).rejects.toMatchObject({
      status: 404,
      code: 'user_not_found',
    });
    expect(calls).toEqual([]);
    await handler.execute(new ListUserAuditEventsQuery('t1', 'u1', { limit: 2 }));
    expect(calls).toEqual([{ tenant: 't1', beforeId: undefined, targetId: 'u1' }]);
  });

  it('filters by action, actor, user and time range, and refuses a range that holds no instant', async () => {
    const { audit, filtersSeen } = fakeAudit();
    const handler = new ListAuditEventsHandler(audit);
    await handler.execute(
      new ListAuditEventsQuery('t1', {
        limit: 2,
        action: 'identity.user.locked.v1',
        actor: 'admin-1',
        userId: 'u1',
        from: '2026-12-01T00:00:00Z',
        to: '2026-12-01T02:00:00+01:00',
      }),
    );
    expect(filtersSeen).toEqual([
      {
        action: 'identity.user.locked.v1',
        actor: 'admin-1',
        targetId: 'u1',
        from: new Date('2026-12-01T00:00:00Z'),
        to: new Date('2026-12-01T01:00:00Z'),
      },
    ]);
    filtersSeen.length = 0;
    for (const range of [
      { from: '2026-12-01T10:00:00Z', to: '2026-12-01T10:00:00Z' },
      { from: '2026-12-01T10:00:00Z', to: '2026-12-01T09:00:00Z' },
    ]) {
      await expect(handler.execute(new ListAuditEventsQuery('t1', { limit: 2, ...range }))).rejects.toMatchObject({
        status: 400,
        code: 'invalid_time_range',
      });
    }
    expect(filtersSeen).toEqual([]);
  });
});
