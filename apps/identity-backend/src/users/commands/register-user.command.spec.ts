import type { CommandBus } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { RateLimiter } from '../../common/rate-limiter';
import type { IdentityBackendConfig } from '../../config';
import type { Tenant } from '../../tenants/tenant.entity';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import { CreateUserCommand } from './create-user.command';
import { errorCode, TENANT_ID } from './commands.spec-helper';
import { RegisterUserCommand, RegisterUserHandler } from './register-user.command';

describe('RegisterUserHandler', () => {
  const setUp = (options: { settings?: Record<string, unknown>; status?: string; createFails?: Error } = {}) => {
    const tenant = {
      id: TENANT_ID,
      slug: 'acme',
      status: options.status ?? 'active',
      settings: options.settings ?? {},
    };
    const tenants = { findBySlug: async (slug: string) => (slug === 'acme' ? (tenant as Tenant) : null) };
    const created: CreateUserCommand[] = [];
    const commands = {
      execute: async (command: CreateUserCommand) => {
        created.push(command);
        if (options.createFails) throw options.createFails;
      },
    };
    const limited: string[] = [];
    const limiter = { consume: async (hit: { key: string }) => void limited.push(hit.key) };
    const config = { REGISTRATION_LIMIT_PER_IP: 10, REGISTRATION_LIMIT_WINDOW_SECONDS: 3600 } as IdentityBackendConfig;
    const handler = new RegisterUserHandler(
      tenants as unknown as TenantsRepository,
      commands as unknown as CommandBus,
      limiter as unknown as RateLimiter,
      config,
    );
    return { handler, created, limited };
  };
  const register = (slug = 'acme') =>
    new RegisterUserCommand(slug, 'new@acme.example', 'a long and unusual passphrase', '203.0.113.9', 'newbie');

  it('creates the user as a self-registration, counted against the per-IP limit', async () => {
    const { handler, created, limited } = setUp();
    await handler.execute(register());
    expect(limited).toEqual(['203.0.113.9']);
    expect(created).toEqual([
      new CreateUserCommand({
        tenantId: TENANT_ID,
        email: 'new@acme.example',
        password: 'a long and unusual passphrase',
        username: 'newbie',
        profile: undefined,
        origin: 'self-registration',
        actor: null,
      }),
    ]);
  });

  it('answers a taken address or username exactly like a new one (no account enumeration)', async () => {
    for (const code of [IdentityErrorCode.EmailTaken, IdentityErrorCode.UsernameTaken]) {
      const { handler } = setUp({ createFails: new IdentityError(code, 'taken') });
      await expect(handler.execute(register())).resolves.toBeUndefined();
    }
    const { handler } = setUp({ createFails: new IdentityError(IdentityErrorCode.WeakPassword, 'weak') });
    expect(await errorCode(handler.execute(register()))).toBe(IdentityErrorCode.WeakPassword);
  });

  it('refuses an unknown or inactive tenant, and one that turned self-registration off, after counting the attempt', async () => {
    for (const [setUpWith, slug, code] of [
      [{}, 'nope', IdentityErrorCode.TenantNotFound],
      [{ status: 'disabled' }, 'acme', IdentityErrorCode.TenantNotFound],
      [{ settings: { selfRegistration: false } }, 'acme', IdentityErrorCode.RegistrationDisabled],
    ] as const) {
      const { handler, created, limited } = setUp(setUpWith);
      expect(await errorCode(handler.execute(register(slug)))).toBe(code);
      expect(created).toEqual([]);
      expect(limited).toHaveLength(1);
    }
  });
});
