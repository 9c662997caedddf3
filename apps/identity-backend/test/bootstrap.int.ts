import { startIdentityApi, type IdentityApi } from './identity-api.harness';

describe('first-start bootstrap', () => {
  let api: IdentityApi;
  const env = {
    BOOTSTRAP_ADMIN_EMAIL: 'root@acme.example',
    BOOTSTRAP_ADMIN_PASSWORD: 'first start passphrase',
    BOOTSTRAP_OPERATOR_EMAIL: 'ops@acme.example',
    BOOTSTRAP_OPERATOR_PASSWORD: 'first operator passphrase',
  };

  afterAll(async () => {
    await api?.stop();
  });

  it('creates the default tenant and an administrator who must change the password, once', async () => {
    api = await startIdentityApi('identity_bootstrap', env);
    const signIn = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'default',
      login: 'root@acme.example',
      password: 'first start passphrase',
      clientIp: '127.0.0.1',
    });
    expect(signIn.status).toBe(200);
    expect(signIn.body.mustChangePassword).toBe(true);
    const claims = await api.call('GET', `/internal/v1/users/${signIn.body.userId}/claims`, api.internalToken);
    expect(claims.body.roles).toEqual(['tenant-admin']);
    expect(claims.body.permissions).not.toContain('platform:admin');

    // The operators' tenant and its first platform administrator (issue 15), temporary password too.
    const operator = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: 'platform',
      login: 'ops@acme.example',
      password: 'first operator passphrase',
      clientIp: '127.0.0.1',
    });
    expect([operator.status, operator.body.mustChangePassword]).toEqual([200, true]);
    const operatorClaims = await api.call(
      'GET',
      `/internal/v1/users/${operator.body.userId}/claims`,
      api.internalToken,
    );
    expect(operatorClaims.body.roles).toEqual(['platform-admin']);
    expect(operatorClaims.body.permissions).toEqual(expect.arrayContaining(['platform:admin', 'authz-keys:write']));

    // A restart on the same database finds the directory populated and leaves it alone.
    await api.stop({ keepDatabase: true });
    api = await startIdentityApi('identity_bootstrap', env, api.db);
    const tenants = await api.call('GET', '/api/v1/tenants', api.platformAdminToken);
    expect(tenants.body.items.map((t: { slug: string }) => t.slug)).toEqual(['default', 'platform']);
  });
});
