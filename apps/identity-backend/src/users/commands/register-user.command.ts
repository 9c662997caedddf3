import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { abuseLimits, RateLimiter } from '../../common/rate-limiter';
import { IDENTITY_CONFIG } from '../../common/tokens';
import type { IdentityBackendConfig } from '../../config';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import type { StandardClaims } from '../standard-claims';
import { CreateUserCommand } from './create-user.command';

export class RegisterUserCommand extends Command<void> {
  constructor(
    readonly tenantSlug: string,
    readonly email: string,
    readonly password: string,
    /** Who registers, for the per-IP registration limit. */
    readonly clientIp: string,
    readonly username?: string,
    readonly profile?: StandardClaims,
  ) {
    super();
  }
}

/**
 * Self-registration. An address that is already registered gets the same answer,
 * after the same work, as a new one, so the endpoint cannot be used to find out
 * who has an account. The verification mail is queued with the new user (its
 * user.created event), in the same transaction.
 */
@CommandHandler(RegisterUserCommand)
export class RegisterUserHandler implements ICommandHandler<RegisterUserCommand> {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly commands: CommandBus,
    private readonly limiter: RateLimiter,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async execute(command: RegisterUserCommand): Promise<void> {
    // Counted first, for every attempt: a flood of sign-ups is refused whatever it contains.
    await this.limiter.consume({ limit: abuseLimits(this.config).registrationPerIp, key: command.clientIp });
    const tenant = await this.tenants.findBySlug(command.tenantSlug);
    if (!tenant || tenant.status !== 'active')
      throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    if (!resolveTenantSettings(tenant.settings).selfRegistration) {
      throw new IdentityError(IdentityErrorCode.RegistrationDisabled, 'This tenant does not allow self-registration');
    }
    try {
      await this.commands.execute(
        new CreateUserCommand({
          tenantId: tenant.id,
          email: command.email,
          password: command.password,
          username: command.username,
          profile: command.profile,
          origin: 'self-registration',
          actor: null,
        }),
      );
    } catch (error) {
      const taken =
        error instanceof IdentityError &&
        (error.code === IdentityErrorCode.EmailTaken || error.code === IdentityErrorCode.UsernameTaken);
      if (!taken) throw error;
    }
  }
}
