import { HttpIdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import { totpCode } from '../src/mfa/totp';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

/** The shared typed client (what the authorization server uses) against the real backend. */
describe('internal API contract', () => {
  let api: IdentityApi;
  let client: HttpIdentityInternalClient;

  beforeAll(async () => {
    api = await startIdentityApi('identity_contract');
    client = new HttpIdentityInternalClient({ baseUrl: api.baseUrl, token: async () => api.internalToken });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('verifies credentials and MFA, reads claims, lists IdPs and resolves external identities', async () => {
    const tenant = await api.createTenant('contract');
    const admin = await api.tenantAdminToken(tenant.id);
    const user = (
      await api.call('POST', '/api/v1/users', admin, { email: 'c@example.com', password: 'contract passphrase ok' })
    ).body;
    const own = await api.userToken(user.id, tenant.id);
    const { secret } = (await api.call('POST', '/api/v1/me/mfa/totp', own)).body;
    await api.call('POST', '/api/v1/me/mfa/totp/confirm', own, { code: totpCode(secret) });

    const verified = await client.verifyCredentials({
      tenant: 'contract',
      login: 'c@example.com',
      password: 'contract passphrase ok',
      clientIp: '127.0.0.1',
    });
    expect(verified).toMatchObject({ userId: user.id, mfaRequired: true, mfaMethods: ['totp', 'recovery_code'] });
    await expect(
      client.verifyCredentials({
        tenant: 'contract',
        login: 'c@example.com',
        password: 'wrong',
        clientIp: '127.0.0.1',
      }),
    ).rejects.toEqual(expect.any(IdentityInternalError));
    await expect(
      client.verifyMfa({
        tenantId: tenant.id,
        userId: user.id,
        method: 'totp',
        code: totpCode(secret, Date.now() + 30_000),
      }),
    ).resolves.toEqual({
      amr: ['pwd', 'otp'],
    });
    await expect(client.userClaims(user.id, ['openid', 'email'])).resolves.toMatchObject({
      sub: user.id,
      email: 'c@example.com',
    });

    const idp = (
      await api.call('POST', '/api/v1/idps', admin, {
        slug: 'up',
        displayName: 'Up',
        issuer: 'https://up.example',
        clientId: 'rp',
        clientSecret: 's3',
        jitProvisioning: true,
      })
    ).body;
    await expect(client.identityProviders('contract')).resolves.toEqual([
      expect.objectContaining({ id: idp.id, clientSecret: 's3' }),
    ]);
    await expect(
      client.resolveExternalIdentity({
        tenantId: tenant.id,
        providerId: idp.id,
        subject: 'x',
        claims: { email: 'x@example.com', email_verified: true },
      }),
    ).resolves.toMatchObject({ outcome: 'provisioned' });
    await expect(client.userClaims('00000000-0000-4000-8000-000000000000', ['openid'])).rejects.toMatchObject({
      failure: 'user_not_found',
    });
  });

  it('reads a tenant for the hosted pages and replaces a temporary password', async () => {
    const tenant = await api.createTenant('contract-pages', { branding: { primaryColor: '#123456' } });
    await expect(client.tenant('contract-pages')).resolves.toMatchObject({
      id: tenant.id,
      slug: 'contract-pages',
      branding: { primaryColor: '#123456', logoUrl: null },
    });
    await expect(client.tenant('no-such-tenant')).rejects.toMatchObject({ failure: 'tenant_not_found' });

    const admin = await api.tenantAdminToken(tenant.id);
    const user = (
      await api.call('POST', '/api/v1/users', admin, {
        email: 't@example.com',
        password: 'temporary passphrase 1',
        temporaryPassword: true,
      })
    ).body;
    const login = { tenant: tenant.id, login: 't@example.com', clientIp: '127.0.0.1' };
    await expect(client.verifyCredentials({ ...login, password: 'temporary passphrase 1' })).resolves.toMatchObject({
      mustChangePassword: true,
    });
    const change = { tenantId: tenant.id, userId: user.id, currentPassword: 'temporary passphrase 1' };
    await expect(client.changePassword({ ...change, newPassword: 'short' })).rejects.toMatchObject({
      failure: 'weak_password',
    });
    await expect(
      client.changePassword({ ...change, currentPassword: 'wrong', newPassword: 'a fresh passphrase 22' }),
    ).rejects.toMatchObject({ failure: 'invalid_credentials' });
    await client.changePassword({ ...change, newPassword: 'a fresh passphrase 22' });
    await expect(client.verifyCredentials({ ...login, password: 'a fresh passphrase 22' })).resolves.toMatchObject({
      mustChangePassword: false,
    });
  });
});
