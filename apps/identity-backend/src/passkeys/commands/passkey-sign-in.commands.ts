import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PasskeyAssertionJSON, PasskeyRequestOptionsJSON } from '@platform/contracts';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { VerifiedCredentials } from '../../credentials/commands/verify-credentials.command';
import { LockoutService } from '../../credentials/lockout.service';
import type { Tenant } from '../../tenants/tenant.entity';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { UsersRepository } from '../../users/users.repository';
import { assertPasskeysAllowed, PasskeyCeremonies } from '../passkey-ceremonies';
import { PasskeysRepository } from '../passkeys.repository';

async function activeTenant(tenants: TenantsRepository, tenantRef: string): Promise<Tenant> {
  const tenant = await tenants.findByIdOrSlug(tenantRef);
  if (!tenant || tenant.status !== 'active')
    throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
  assertPasskeysAllowed(tenant);
  return tenant;
}

export class StartPasskeyAuthenticationCommand extends Command<PasskeyRequestOptionsJSON> {
  constructor(
    readonly tenant: string,
    readonly target: { userId?: string; login?: string },
  ) {
    super();
  }
}

/**
 * Options for `navigator.credentials.get()`. For a second factor (userId) the user's passkeys are
 * listed and user verification is preferred (the password was the other factor); otherwise it is
 * required, and an unknown login gets discoverable options, like no login at all.
 */
@CommandHandler(StartPasskeyAuthenticationCommand)
export class StartPasskeyAuthenticationHandler implements ICommandHandler<StartPasskeyAuthenticationCommand> {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly passkeys: PasskeysRepository,
    private readonly ceremonies: PasskeyCeremonies,
  ) {}

  async execute({ tenant: tenantRef, target }: StartPasskeyAuthenticationCommand): Promise<PasskeyRequestOptionsJSON> {
    const tenant = await activeTenant(this.tenants, tenantRef);
    if (target.userId) {
      const user = await this.users.findById(tenant.id, target.userId);
      if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
      return this.ceremonies.authenticationOptions(tenant, user, 'preferred');
    }
    const user = target.login ? await this.passkeys.userByLogin(tenant.id, target.login) : null;
    return this.ceremonies.authenticationOptions(tenant, user, 'required');
  }
}

export class VerifyPasskeyCommand extends Command<VerifiedCredentials> {
  constructor(
    readonly tenant: string,
    readonly credential: PasskeyAssertionJSON,
  ) {
    super();
  }
}

/** Passwordless sign-in: a user-verified passkey is both factors; the answer is credentials/verify's. */
@CommandHandler(VerifyPasskeyCommand)
export class VerifyPasskeyHandler implements ICommandHandler<VerifyPasskeyCommand> {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly lockout: LockoutService,
  ) {}

  async execute({ tenant: tenantRef, credential }: VerifyPasskeyCommand): Promise<VerifiedCredentials> {
    const tenant = await activeTenant(this.tenants, tenantRef);
    const { user, amr } = await this.ceremonies.verifyAuthentication(tenant, credential, null);
    await this.lockout.recordSuccess(user.id);
    return {
      userId: user.id,
      tenantId: user.tenantId,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr,
      mustChangePassword: false,
    };
  }
}
