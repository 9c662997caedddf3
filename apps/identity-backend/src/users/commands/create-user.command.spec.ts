import { ManualClock } from '@platform/runtime';
import { uniqueViolation } from '@platform/database';
import { IdentityErrorCode } from '../../common/identity-error';
import type { PasswordService } from '../../credentials/password.service';
import type { Role } from '../../roles/role.entity';
import { EventTypes } from '../../events/identity-events';
import type { Tenant } from '../../tenants/tenant.entity';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import type { UsersRepository } from '../users.repository';
import { errorCode, TENANT_ID, userCommandDeps } from './commands.spec-helper';
import { CreateUserCommand, CreateUserHandler, type NewUser } from './create-user.command';

describe('CreateUserHandler', () => {
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  const setUp = (settings: Record<string, unknown> = {}) => {
    const deps = userCommandDeps();
    const tenant = { id: TENANT_ID, slug: 'acme', status: 'active', settings } as unknown as Tenant;
    const tenants = { findById: async (id: string) => (id === TENANT_ID ? tenant : null) };
    const hashed: string[] = [];
    const passwords = {
      hashNewPassword: async (password: string) => {
        hashed.push(password);
        return `hash-of-${password.length}`;
      },
    };
    const handler = new CreateUserHandler(
      deps.dataSource,
      tenants as unknown as TenantsRepository,
      deps.users,
      deps.roles,
      passwords as unknown as PasswordService,
      deps.events,
      new ManualClock(NOW),
    );
    return { ...deps, handler, hashed };
  };
  const input = (changes: Partial<NewUser> = {}): NewUser => ({
    tenantId: TENANT_ID,
    email: ' Ada.Lovelace@Example.COM ',
    origin: 'admin',
    actor: 'admin-1',
    ...changes,
  });

  it('stores the address as given (NFC, trimmed) beside its canonical form, and announces the new user', async () => {
    const { handler, recorded } = setUp();
    const user = await handler.execute(new CreateUserCommand(input()));
    expect(user).toMatchObject({
      tenantId: TENANT_ID,
      email: 'Ada.Lovelace@Example.COM',
      emailCanonical: 'ada.lovelace@example.com',
      emailVerified: false,
      passwordHash: null,
      passwordChangedAt: null,
      mustChangePassword: false,
    });
    expect(recorded).toEqual([
      expect.objectContaining({
        type: EventTypes.userCreated,
        data: expect.objectContaining({ origin: 'admin', actor: 'admin-1' }),
      }),
    ]);
  });

  it('hashes a password by the tenant policy, stamped with the clock, and a temporary one must be changed', async () => {
    const { handler, hashed } = setUp();
    const user = await handler.execute(
      new CreateUserCommand(input({ password: 'a long and unusual passphrase', temporaryPassword: true })),
    );
    expect(hashed).toEqual(['a long and unusual passphrase']);
    expect(user).toMatchObject({
      passwordHash: 'hash-of-29',
      passwordChangedAt: new Date(NOW),
      mustChangePassword: true,
    });
  });

  it('refuses an unknown tenant, an invalid address, and a domain the tenant does not allow', async () => {
    const { handler } = setUp({ allowedEmailDomains: ['acme.example'] });
    expect(await errorCode(handler.execute(new CreateUserCommand(input({ tenantId: 'other' }))))).toBe(
      IdentityErrorCode.TenantNotFound,
    );
    expect(await errorCode(handler.execute(new CreateUserCommand(input({ email: 'not an address' }))))).toBe(
      IdentityErrorCode.InvalidEmail,
    );
    expect(await errorCode(handler.execute(new CreateUserCommand(input())))).toBe(
      IdentityErrorCode.EmailDomainNotAllowed,
    );
  });

  it('maps the unique keys to email_taken and username_taken', async () => {
    const { handler, users } = setUp();
    for (const [constraint, code] of [
      ['UQ_users_tenant_email', IdentityErrorCode.EmailTaken],
      ['UQ_users_tenant_username', IdentityErrorCode.UsernameTaken],
    ] as const) {
      (users as { save: UsersRepository['save'] }).save = async () => {
        throw uniqueViolation(constraint);
      };
      expect(await errorCode(handler.execute(new CreateUserCommand(input({ username: 'ada' }))))).toBe(code);
    }
  });

  it("gives a self-registered user the tenant's default role, in the same transaction", async () => {
    const { handler, tenantRoles, assigned, recorded } = setUp({ defaultRole: 'member' });
    tenantRoles.push({ id: 'role-theirs', tenantId: 'other', name: 'member' } as Role);
    tenantRoles.push({ id: 'role-member', tenantId: TENANT_ID, name: 'member' } as Role);
    const user = await handler.execute(new CreateUserCommand(input({ origin: 'self-registration', actor: null })));
    expect(assigned).toEqual([{ tenantId: TENANT_ID, userId: user.id, roleIds: ['role-member'] }]);
    expect(recorded.map((e) => e.type)).toEqual([EventTypes.userCreated, EventTypes.userRolesChanged]);
  });
});
