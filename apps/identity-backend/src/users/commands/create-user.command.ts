import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { Clock } from '@platform/runtime';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { PasswordService } from '../../credentials/password.service';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { RolesRepository } from '../../roles/roles.repository';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { assertEmailDomainAllowed, resolveTenantSettings } from '../../tenants/tenant-settings';
import type { StandardClaims } from '../standard-claims';
import { User } from '../user.entity';
import { assertAttributesSize } from '../user-attributes';
import { assertVisibleIdentity } from '../visible-identity';
import { UsersRepository } from '../users.repository';

export interface NewUser {
  tenantId: string;
  email: string;
  password?: string;
  temporaryPassword?: boolean;
  username?: string;
  emailVerified?: boolean;
  profile?: StandardClaims;
  attributes?: Record<string, unknown>;
  origin: 'admin' | 'self-registration';
  /** Who did it: a user or client id, for the event and the audit trail. */
  actor: string | null;
}

export class CreateUserCommand extends Command<User> {
  constructor(readonly user: NewUser) {
    super();
  }
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly passwords: PasswordService,
    private readonly events: EventRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ user: input }: CreateUserCommand): Promise<User> {
    const tenant = await this.tenants.findById(input.tenantId);
    if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    const settings = resolveTenantSettings(tenant.settings);

    assertVisibleIdentity(input);
    const emailCanonical = canonicalEmail(input.email);
    if (!emailCanonical) throw new IdentityError(IdentityErrorCode.InvalidEmail, 'email is not a valid email address');
    assertEmailDomainAllowed(settings, emailCanonical);
    assertAttributesSize(input.attributes);
    // Hash before touching the database: the work is the same whether or not the address is taken.
    const passwordHash =
      input.password === undefined
        ? null
        : await this.passwords.hashNewPassword(input.password, settings.passwordPolicy, {
            email: emailCanonical,
            username: input.username,
          });

    const user = Object.assign(new User(), {
      tenantId: tenant.id,
      email: input.email.normalize('NFC').trim(),
      emailCanonical,
      emailVerified: input.emailVerified ?? false,
      username: input.username ?? null,
      usernameCanonical: input.username?.toLowerCase() ?? null,
      profile: input.profile ?? {},
      attributes: input.attributes ?? {},
      passwordHash,
      passwordChangedAt: passwordHash ? this.clock.now() : null,
      mustChangePassword: passwordHash !== null && input.temporaryPassword === true,
    });

    try {
      return await this.dataSource.transaction(async (manager) => {
        const saved = await this.users.save(manager, user);
        const events = [userEvent(EventTypes.userCreated, saved, { origin: input.origin, actor: input.actor })];
        if (input.origin === 'self-registration' && settings.defaultRole) {
          const role = await this.roles.findByName(tenant.id, settings.defaultRole, manager);
          if (role) {
            await this.roles.assign(manager, tenant.id, saved.id, [role.id], null);
            events.push(userEvent(EventTypes.userRolesChanged, saved, { added: [role.id], removed: [] }));
          }
        }
        await this.events.record(manager, events);
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_users_tenant_email')) {
        throw new IdentityError(IdentityErrorCode.EmailTaken, 'A user with this email already exists in the tenant');
      }
      if (isUniqueViolation(error, 'UQ_users_tenant_username')) {
        throw new IdentityError(
          IdentityErrorCode.UsernameTaken,
          'A user with this username already exists in the tenant',
        );
      }
      throw error;
    }
  }
}
