import { scopeMappingProblem, tokenAuthority } from './scope-permissions';

const identityApi = {
  includePermissions: true,
  scopePermissions: {
    'identity.users.read': ['users:read'],
    'identity.users.write': ['users:write'],
    'platform.admin': ['platform:admin'],
  },
};
const tenantAdmin = {
  roles: ['tenant-admin'],
  permissions: ['users:read', 'users:write', 'roles:write', 'audit:read'],
};

describe('tokenAuthority', () => {
  it('carries only the user permissions that the granted scopes map to', () => {
    expect(tokenAuthority(identityApi, tenantAdmin, 'identity.users.read')).toEqual({
      roles: ['tenant-admin'],
      permissions: ['users:read'],
    });
    expect(tokenAuthority(identityApi, tenantAdmin, 'identity.users.read identity.users.write')).toEqual({
      roles: ['tenant-admin'],
      permissions: ['users:read', 'users:write'],
    });
  });

  it('never adds a permission the user does not hold, whatever the scope', () => {
    expect(tokenAuthority(identityApi, tenantAdmin, 'platform.admin').permissions).toEqual([]);
  });

  it('carries nothing, roles included, without a granted scope that maps anything', () => {
    expect(tokenAuthority(identityApi, tenantAdmin, 'openid profile')).toEqual({});
    expect(tokenAuthority(identityApi, tenantAdmin, undefined)).toEqual({});
    expect(tokenAuthority({ includePermissions: true, scopePermissions: {} }, tenantAdmin, 'anything')).toEqual({});
  });

  it('carries nothing for an API that does not ask for permissions', () => {
    expect(tokenAuthority({ ...identityApi, includePermissions: false }, tenantAdmin, 'identity.users.read')).toEqual(
      {},
    );
    expect(tokenAuthority(null, tenantAdmin, 'identity.users.read')).toEqual({});
  });
});

describe('scopeMappingProblem', () => {
  const scopes = ['reports.read', 'reports.write'];

  it('accepts mappings and descriptions of the API own scopes', () => {
    expect(
      scopeMappingProblem(scopes, { 'reports.read': ['reports:read', 'platform:admin'] }, { 'reports.read': 'Read' }),
    ).toBeNull();
  });

  it('refuses a scope the API does not have', () => {
    expect(scopeMappingProblem(scopes, { 'reports.delete': ['reports:delete'] }, {})).toMatch(/not a scope/);
    expect(scopeMappingProblem(scopes, {}, { 'reports.delete': 'Delete' })).toMatch(/not a scope/);
  });

  it.each([[['Reports:Read']], [['reports']], [['reports:*']], ['reports:read'], [[42]]])(
    'refuses the permissions %p',
    (permissions) => {
      expect(scopeMappingProblem(scopes, { 'reports.read': permissions }, {})).not.toBeNull();
    },
  );

  it.each(['', '   ', 'x'.repeat(201), 'Read\u202Ereports', 'two\nlines', 42])('refuses the description %p', (d) => {
    expect(scopeMappingProblem(scopes, {}, { 'reports.read': d })).not.toBeNull();
  });
});
