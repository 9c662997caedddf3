import { useIdentityApi } from './identity-api.harness';

describe('audit log', () => {
  const api = useIdentityApi('identity_audit');

  it('records who changed what, when and from where, queryable per tenant and per user', async () => {
    const tenant = await api.createTenant('audited');
    const admin = await api.tenantAdminToken(tenant.id, 'auditor-admin');
    const user = (await api.call('POST', '/api/v1/users', admin, { email: 'audited@example.com' })).body;
    await api.call('POST', `/api/v1/users/${user.id}/lock`, admin, { reason: 'suspicious activity' });

    const trail = await api.call('GET', `/api/v1/users/${user.id}/audit-events`, admin);
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((e: { action: string }) => e.action)).toEqual([
      'identity.user.locked.v1',
      'identity.user.created.v1',
    ]);
    expect(trail.body.items[0]).toMatchObject({
      actor: 'auditor-admin',
      actorType: 'user',
      clientId: 'console',
      targetType: 'user',
      targetId: user.id,
      details: { reason: 'suspicious activity' },
      ip: expect.stringMatching(/127\.0\.0\.1/),
      requestId: expect.any(String),
    });

    const tenantTrail = await api.call('GET', '/api/v1/audit-events?action=identity.user.created.v1', admin);
    expect(tenantTrail.body.items.map((e: { targetId: string }) => e.targetId)).toEqual([user.id]);
  });

  it('filters by actor, user and time range; a malformed filter is a 400 with a code', async () => {
    const tenant = await api.createTenant('audit-filters');
    const alice = await api.tenantAdminToken(tenant.id, 'admin-alice');
    const bob = await api.tenantAdminToken(tenant.id, 'admin-bob');
    const one = (await api.call('POST', '/api/v1/users', alice, { email: 'one@filters.example' })).body;
    const two = (await api.call('POST', '/api/v1/users', bob, { email: 'two@filters.example' })).body;
    expect((await api.call('POST', `/api/v1/users/${one.id}/lock`, bob, { reason: 'checked' })).status).toBe(200);
    type Entry = { action: string; targetId: string; actor: string; createdAt: string };
    const list = async (path: string) => {
      const res = await api.call('GET', path, alice);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      return res.body.items as Entry[];
    };
    const rows = (entries: Entry[]) => entries.map((e) => [e.action, e.targetId, e.actor]);
    const [CREATED, LOCKED] = ['identity.user.created.v1', 'identity.user.locked.v1'];

    expect(rows(await list('/api/v1/audit-events?actor=admin-bob'))).toEqual([
      [LOCKED, one.id, 'admin-bob'],
      [CREATED, two.id, 'admin-bob'],
    ]);
    expect(rows(await list(`/api/v1/audit-events?userId=${one.id}`))).toEqual([
      [LOCKED, one.id, 'admin-bob'],
      [CREATED, one.id, 'admin-alice'],
    ]);
    expect(rows(await list(`/api/v1/audit-events?userId=${one.id}&actor=admin-alice`))).toEqual([
      [CREATED, one.id, 'admin-alice'],
    ]);
    expect(rows(await list(`/api/v1/users/${one.id}/audit-events?actor=admin-bob`))).toEqual([
      [LOCKED, one.id, 'admin-bob'],
    ]);

    // The lock is the newest entry; separate requests are milliseconds apart at least.
    const lockedAt = (await list('/api/v1/audit-events'))[0]!;
    expect(lockedAt.action).toBe(LOCKED);
    const at = encodeURIComponent(lockedAt.createdAt);
    expect(rows(await list(`/api/v1/audit-events?from=${at}`))).toEqual([[LOCKED, one.id, 'admin-bob']]);
    expect(rows(await list(`/api/v1/audit-events?to=${at}&actor=admin-bob`))).toEqual([[CREATED, two.id, 'admin-bob']]);
    // The same instant in another offset.
    const inParis = new Date(lockedAt.createdAt).getTime() + 3_600_000;
    const paris = encodeURIComponent(`${new Date(inParis).toISOString().slice(0, -1)}+01:00`);
    expect(rows(await list(`/api/v1/audit-events?from=${paris}`))).toEqual([[LOCKED, one.id, 'admin-bob']]);

    for (const [query, code] of [
      ['from=yesterday', 'validation_failed'],
      ['from=2026-12-01T10:00:00', 'validation_failed'],
      ['to=2026-13-01T10:00:00Z', 'validation_failed'],
      ['userId=not-a-uuid', 'validation_failed'],
      [`actor=${'x'.repeat(256)}`, 'validation_failed'],
      ['from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z', 'invalid_time_range'],
      ['from=2026-12-01T10:00:00Z&to=2026-12-01T09:00:00Z', 'invalid_time_range'],
    ]) {
      const res = await api.call('GET', `/api/v1/audit-events?${query}`, alice);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({ query, status: 400, code });
    }
    // The per-user trail is already about one user.
    const perUser = await api.call('GET', `/api/v1/users/${one.id}/audit-events?userId=${two.id}`, alice);
    expect([perUser.status, perUser.body.error?.code]).toEqual([400, 'validation_failed']);
  });

  it("does not show one tenant's trail to another", async () => {
    const a = await api.createTenant('audit-a');
    const b = await api.createTenant('audit-b');
    await api.call('POST', '/api/v1/users', await api.tenantAdminToken(a.id), { email: 'secret@a.example' });
    const seen = await api.call('GET', '/api/v1/audit-events', await api.tenantAdminToken(b.id));
    // Only B's own history (its creation), nothing of A.
    expect(seen.body.items.map((e: { action: string; targetId: string }) => [e.action, e.targetId])).toEqual([
      ['identity.tenant.created.v1', b.id],
    ]);
  });

  it('is append-only in the database itself', async () => {
    await expect(api.sql('UPDATE audit_log SET actor = $1', ['someone-else'])).rejects.toThrow(/append-only/);
    await expect(api.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });
});
