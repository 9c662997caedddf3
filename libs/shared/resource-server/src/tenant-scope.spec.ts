import { principalFromClaims } from './principal';
import { tenantScope } from './tenant-scope';

describe('tenantScope', () => {
  const member = principalFromClaims({ sub: 'u', client_id: 'c', tenant_id: 'tenant-a', permissions: ['users:read'] });
  const operator = principalFromClaims({ sub: 'op', client_id: 'cli', permissions: ['platform:admin'] });

  it('scopes a tenant member to their own tenant', () => {
    expect(tenantScope(member)).toBe('tenant-a');
    expect(tenantScope(member, 'tenant-a')).toBe('tenant-a');
  });

  it('answers 404 (not 403) when a member names another tenant', () => {
    expect(() => tenantScope(member, 'tenant-b')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('lets a platform administrator name any tenant', () => {
    expect(tenantScope(operator, 'tenant-b')).toBe('tenant-b');
  });

  it("makes an operator of the platform.admin scope only on a client's own token, never on a user's", () => {
    const adminClient = principalFromClaims({ sub: 'admin-cli', client_id: 'admin-cli', scope: 'platform.admin' });
    const userOfAdminApp = principalFromClaims({
      sub: 'u',
      client_id: 'console',
      tenant_id: 'tenant-a',
      scope: 'openid platform.admin',
    });
    expect(tenantScope(adminClient, 'tenant-b')).toBe('tenant-b');
    expect(userOfAdminApp.isPlatformAdmin).toBe(false);
    expect(() => tenantScope(userOfAdminApp, 'tenant-b')).toThrow(expect.objectContaining({ status: 404 }));
  });

  it('refuses a token that belongs to no tenant when no tenant is named', () => {
    expect(() => tenantScope(operator)).toThrow(expect.objectContaining({ status: 404 }));
  });
});
