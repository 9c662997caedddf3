import { useIdentityApi, useTenant } from './identity-api.harness';

/**
 * POST /api/v1/users names its tenant with ?tenantId= like every other management route; the
 * body field it used to read keeps working (deprecated), and the two may not disagree.
 */
describe('POST /api/v1/users ?tenantId= (real service, Postgres, Kafka)', () => {
  const api = useIdentityApi('identity_users_tenant_query');
  const tenantA = useTenant(api, 'create-in-a');
  const tenantB = useTenant(api, 'create-in-b');

  const create = (query: string, body: Record<string, unknown>, token = api.platformAdminToken) =>
    api.call('POST', `/api/v1/users${query}`, token, body);

  it('creates the user in the tenant a platform administrator names in the query, as the other routes read it', async () => {
    const res = await create(`?tenantId=${tenantA.id}`, { email: 'query@a.example' });
    expect(res.status).toBe(201);
    expect(res.body.tenantId).toBe(tenantA.id);
    const read = await api.call('GET', `/api/v1/users/${res.body.id}?tenantId=${tenantA.id}`, api.platformAdminToken);
    expect(read.body).toMatchObject({ email: 'query@a.example', tenantId: tenantA.id });
  });

  it('still reads the deprecated body field, alone or naming the same tenant as the query', async () => {
    const body = await create('', { email: 'body@b.example', tenantId: tenantB.id });
    expect(body.status).toBe(201);
    expect(body.body.tenantId).toBe(tenantB.id);
    const both = await create(`?tenantId=${tenantB.id}`, { email: 'both@b.example', tenantId: tenantB.id });
    expect(both.status).toBe(201);
    expect(both.body.tenantId).toBe(tenantB.id);
  });

  it('refuses a query and a body naming different tenants with 400 tenant_conflict, creating nobody', async () => {
    const res = await create(`?tenantId=${tenantA.id}`, { email: 'torn@x.example', tenantId: tenantB.id });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('tenant_conflict');
    for (const tenant of [tenantA, tenantB]) {
      const listed = await api.call('GET', `/api/v1/users?tenantId=${tenant.id}&email=torn`, api.platformAdminToken);
      expect(listed.body.items).toEqual([]);
    }
  });

  it('keeps a tenant administrator in their own tenant: another tenant in the query is a 404, a malformed one too', async () => {
    const adminOfA = await api.tenantAdminToken(tenantA.id);
    expect((await create(`?tenantId=${tenantB.id}`, { email: 'intruder@b.example' }, adminOfA)).status).toBe(404);
    expect((await create('?tenantId=not-a-uuid', { email: 'odd@a.example' }, adminOfA)).status).toBe(404);
    const own = await create(`?tenantId=${tenantA.id}`, { email: 'own@a.example' }, adminOfA);
    expect(own.status).toBe(201);
    expect(own.body.tenantId).toBe(tenantA.id);
  });
});
