import { useIdentityApi, useTenant } from './identity-api.harness';

describe('external identity providers and account linking', () => {
  const api = useIdentityApi('identity_idps');
  const tenant = useTenant(api, 'federated');

  const createIdp = (body: Record<string, unknown>) =>
    api.call('POST', '/api/v1/idps', tenant.admin, {
      displayName: 'Upstream',
      issuer: 'https://sso.example.com',
      clientId: 'rp',
      ...body,
    });
  const resolve = (providerId: string, subject: string, claims: Record<string, unknown>) =>
    api.call('POST', '/internal/v1/external-identities/resolve', api.internalToken, {
      tenantId: tenant.id,
      providerId,
      subject,
      claims,
    });

  it('stores the client secret sealed, never returns it to admins, and gives it to the authorization server', async () => {
    const created = await createIdp({ slug: 'secretive', clientSecret: 'upstream-client-secret' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      slug: 'secretive',
      hasClientSecret: true,
      scopes: ['openid', 'email', 'profile'],
    });
    expect(JSON.stringify(created.body)).not.toContain('upstream-client-secret');
    expect(JSON.stringify((await api.call('GET', `/api/v1/idps/${created.body.id}`, tenant.admin)).body)).not.toContain(
      'upstream-client-secret',
    );

    const rows = await api.sql('SELECT client_secret_sealed FROM identity_providers WHERE id = $1', [created.body.id]);
    expect(rows[0].client_secret_sealed).not.toContain('upstream-client-secret');

    const internal = await api.call('GET', '/internal/v1/tenants/federated/idps', api.internalToken);
    expect(internal.body.find((i: { id: string }) => i.id === created.body.id).clientSecret).toBe(
      'upstream-client-secret',
    );
    expect((await api.call('GET', '/internal/v1/tenants/federated/idps', tenant.admin)).status).toBe(403);
  });

  it('rejects a slug twice and an unknown claim mapping field', async () => {
    await createIdp({ slug: 'dup' });
    expect((await createIdp({ slug: 'dup' })).body.error.code).toBe('idp_slug_taken');
    expect((await createIdp({ slug: 'badmap', claimMapping: { password_hash: 'x' } })).status).toBe(400);
  });

  it('provisions just in time with mapped claims, then finds the same user by the link', async () => {
    const idp = (await createIdp({ slug: 'jit', jitProvisioning: true, claimMapping: { given_name: 'first_name' } }))
      .body;
    const first = await resolve(idp.id, 'upstream-sub-1', {
      email: 'Jit.User@Example.com',
      email_verified: true,
      first_name: 'Jit',
    });
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe('provisioned');
    const user = (await api.call('GET', `/api/v1/users/${first.body.userId}`, tenant.admin)).body;
    expect(user).toMatchObject({
      email: 'Jit.User@Example.com',
      emailVerified: true,
      hasPassword: false,
      profile: { given_name: 'Jit' },
    });

    const again = await resolve(idp.id, 'upstream-sub-1', { email: 'changed@example.com' });
    expect(again.body).toEqual({ userId: first.body.userId, tenantId: tenant.id, outcome: 'linked' });
    const links = await api.call('GET', `/api/v1/users/${first.body.userId}/external-identities`, tenant.admin);
    expect(links.body).toEqual([expect.objectContaining({ providerId: idp.id, subject: 'upstream-sub-1' })]);
  });

  it('auto-links an existing account only when the upstream address is verified', async () => {
    const idp = (await createIdp({ slug: 'autolink', autoLinkVerifiedEmail: true })).body;
    const local = (await api.call('POST', '/api/v1/users', tenant.admin, { email: 'existing@example.com' })).body;

    const unverified = await resolve(idp.id, 'attacker-sub', { email: 'existing@example.com', email_verified: false });
    expect(unverified.status).toBe(404);
    expect(unverified.body.error.code).toBe('no_linked_user');

    const verified = await resolve(idp.id, 'owner-sub', { email: 'EXISTING@example.com', email_verified: true });
    expect(verified.body).toEqual({ userId: local.id, tenantId: tenant.id, outcome: 'auto_linked' });
  });

  it('refuses unknown identities when neither JIT nor auto-link is on, and a disabled provider entirely', async () => {
    const idp = (await createIdp({ slug: 'strict' })).body;
    expect(
      (await resolve(idp.id, 'someone', { email: 'someone@example.com', email_verified: true })).body.error.code,
    ).toBe('no_linked_user');
    await api.call('PATCH', `/api/v1/idps/${idp.id}`, tenant.admin, { enabled: false });
    expect((await resolve(idp.id, 'someone', {})).body.error.code).toBe('idp_not_found');
  });

  it('lets the user see and remove their own links', async () => {
    const idp = (await createIdp({ slug: 'selfservice', jitProvisioning: true })).body;
    const { userId } = (await resolve(idp.id, 'self-sub', { email: 'self@example.com', email_verified: true })).body;
    const token = await api.userToken(userId, tenant.id);
    const mine = await api.call('GET', '/api/v1/me/external-identities', token);
    expect(mine.body).toHaveLength(1);
    // A provisioned user without a password: the only link is their only way to sign in.
    const last = await api.call('DELETE', `/api/v1/me/external-identities/${mine.body[0].id}`, token);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_sign_in_method');
    const other = (await createIdp({ slug: 'selfservice-other', autoLinkVerifiedEmail: true })).body;
    await resolve(other.id, 'other-sub', { email: 'self@example.com', email_verified: true });
    expect((await api.call('DELETE', `/api/v1/me/external-identities/${mine.body[0].id}`, token)).status).toBe(204);
    const left = (await api.call('GET', '/api/v1/me/external-identities', token)).body;
    expect(left.map((link: { providerId: string }) => link.providerId)).toEqual([other.id]);
  });

  it("keeps another tenant's providers invisible (404)", async () => {
    const idp = (await createIdp({ slug: 'private' })).body;
    const other = await api.createTenant('federated-other');
    const outsider = await api.tenantAdminToken(other.id);
    expect((await api.call('GET', `/api/v1/idps/${idp.id}`, outsider)).status).toBe(404);
    expect((await api.call('PATCH', `/api/v1/idps/${idp.id}`, outsider, { enabled: false })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/idps/${idp.id}`, outsider)).status).toBe(404);
    expect((await api.call('GET', '/api/v1/idps', outsider)).body).toEqual([]);
  });
});
