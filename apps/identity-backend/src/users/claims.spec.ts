import { claimsFor } from './claims';
import type { User } from './user.entity';

describe('claimsFor', () => {
  const user = {
    id: 'u1',
    tenantId: 't1',
    email: 'Ada@Example.com',
    emailVerified: true,
    username: 'ada',
    profile: { name: 'Ada Lovelace', locale: 'en-GB', phone_number: '+441234567890', address: { country: 'UK' } },
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  } as unknown as User;
  const roles = [
    { name: 'editor', permissions: ['articles:write', 'articles:read'] },
    { name: 'viewer', permissions: ['articles:read'] },
  ];

  it('always carries the subject, tenant, roles, de-duplicated permissions and groups', () => {
    expect(claimsFor(user, new Set(['openid']), roles, ['editors'])).toEqual({
      sub: 'u1',
      tenant_id: 't1',
      roles: ['editor', 'viewer'],
      permissions: ['articles:read', 'articles:write'],
      groups: ['editors'],
    });
  });

  it('never carries platform permissions, even from a role written before they were reserved', () => {
    const legacy = [{ name: 'legacy-operator', permissions: ['platform:admin', 'authz-keys:write', 'users:read'] }];
    expect(claimsFor(user, new Set(['openid']), legacy).permissions).toEqual(['users:read']);
  });

  it('releases only the claims of the granted scopes', () => {
    const claims = claimsFor(user, new Set(['openid', 'email']), []);
    expect(claims).toMatchObject({ email: 'Ada@Example.com', email_verified: true });
    expect(claims).not.toHaveProperty('name');
    expect(claims).not.toHaveProperty('phone_number');
  });

  it('maps profile, phone and address scopes to their standard claims', () => {
    const claims = claimsFor(user, new Set(['openid', 'profile', 'phone', 'address']), []);
    expect(claims).toMatchObject({
      name: 'Ada Lovelace',
      locale: 'en-GB',
      preferred_username: 'ada',
      updated_at: 1767225600,
      phone_number: '+441234567890',
      address: { country: 'UK' },
    });
  });
});
