import { IdentityErrorCode } from '../../common/identity-error';
import type { IdentityBackendConfig } from '../../config';
import type { Role } from '../../roles/role.entity';
import type { RolesRepository } from '../../roles/roles.repository';
import { OperatorsTenant, PLATFORM_ADMIN_ROLE } from '../../tenants/operators-tenant';
import type { Tenant } from '../../tenants/tenant.entity';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import { aUser, errorCode, TENANT_ID } from '../commands/commands.spec-helper';
import type { User } from '../user.entity';
import { UserClaimsHandler, UserClaimsQuery } from './user-claims.query';

describe('UserClaimsHandler', () => {
  const OPERATORS = 'tenant-ops';
  const stored: User[] = [
    aUser({
      id: 'u-ada',
      email: 'Ada@Example.com',
      emailVerified: true,
      profile: { name: 'Ada Lovelace', locale: 'en-GB' },
      updatedAt: new Date('2026-12-01T10:00:00Z'),
    }),
    aUser({ id: 'u-locked', status: 'locked' }),
    aUser({ id: 'u-op', tenantId: OPERATORS }),
  ];
  const setUp = () => {
    const authorityIn = (tenantId: string) => ({
      roles:
        tenantId === OPERATORS
          ? [{ id: 'r-pa', name: PLATFORM_ADMIN_ROLE, permissions: ['platform:admin', 'users:read'] }]
          : [
              { id: 'r-1', name: 'ops', permissions: ['logs:read', 'deploy:run'] },
              // Written before the name was reserved: kept in the database, never in a token.
              { id: 'r-2', name: 'legacy', permissions: ['platform:admin', 'logs:read'] },
            ],
      groups: ['Engineering'],
    });
    const roles = {
      userWithAuthority: jest.fn(async (id: string) => {
        const user = stored.find((u) => u.id === id);
        return user ? { user, authority: authorityIn(user.tenantId) } : null;
      }),
      rolesOfUser: async (tenantId: string) =>
        tenantId === OPERATORS
          ? [{ id: 'r-pa', tenantId, name: PLATFORM_ADMIN_ROLE, permissions: ['platform:admin', 'users:read'] } as Role]
          : [],
    };
    const tenants = {
      findBySlug: async (slug: string) => (slug === 'operators' ? ({ id: OPERATORS } as Tenant) : null),
    };
    const operators = new OperatorsTenant(
      { PLATFORM_OPERATORS_TENANT: 'operators' } as IdentityBackendConfig,
      tenants as unknown as TenantsRepository,
      roles as unknown as RolesRepository,
    );
    const handler = new UserClaimsHandler(roles as unknown as RolesRepository, operators);
    return { handler, roles };
  };
  const scopes = (...names: string[]) => new Set(names);

  it("gives the user's tenant, roles, groups and the claims of the scopes asked for, in the user's own tenant", async () => {
    const { handler, roles } = setUp();
    const claims = await handler.execute(new UserClaimsQuery('u-ada', scopes('openid', 'email')));
    expect(roles.userWithAuthority).toHaveBeenCalledWith('u-ada');
    expect(claims).toEqual({
      sub: 'u-ada',
      tenant_id: TENANT_ID,
      roles: ['ops', 'legacy'],
      permissions: ['deploy:run', 'logs:read'],
      groups: ['Engineering'],
      email: 'Ada@Example.com',
      email_verified: true,
    });
    await expect(handler.execute(new UserClaimsQuery('u-ada', scopes('openid', 'profile')))).resolves.toMatchObject({
      name: 'Ada Lovelace',
      locale: 'en-GB',
      updated_at: Date.parse('2026-12-01T10:00:00Z') / 1000,
    });
  });

  it('an unknown user is user_not_found; one who can no longer sign in is user_inactive with the status', async () => {
    const { handler } = setUp();
    expect(await errorCode(handler.execute(new UserClaimsQuery('u-nobody', scopes('openid'))))).toBe(
      IdentityErrorCode.UserNotFound,
    );
    await expect(handler.execute(new UserClaimsQuery('u-locked', scopes('openid')))).rejects.toMatchObject({
      code: IdentityErrorCode.UserInactive,
      details: { status: 'locked' },
    });
  });

  it("adds the reserved permissions of the operators' own platform-admin role", async () => {
    const { handler } = setUp();
    await expect(handler.execute(new UserClaimsQuery('u-op', scopes('openid')))).resolves.toMatchObject({
      tenant_id: OPERATORS,
      permissions: ['platform:admin', 'users:read'],
    });
  });
});
