import { Client } from 'pg';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

describe('audit log', () => {
  let api: IdentityApi;

  beforeAll(async () => {
    api = await startIdentityApi('identity_audit');
  });

  afterAll(async () => {
    await api?.stop();
  });

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
    const client = new Client({ connectionString: api.db.url });
    await client.connect();
    try {
      await expect(client.query('UPDATE audit_log SET actor = $1', ['someone-else'])).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await client.end();
    }
  });
});
