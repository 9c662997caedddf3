import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { LockoutService } from '../credentials/lockout.service';
import { PasswordHasher } from '../credentials/password-hasher';
import { EraseUserCommand } from '../gdpr/gdpr.commands';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';

/** How recent a sign-in (the token's `auth_time`) must be to delete the account without the password. */
export const REAUTHENTICATION_MAX_AGE_SECONDS = 300;

/** Proof that the person deleting the account is its owner right now, not whoever holds an old token. */
export interface Reauthentication {
  password?: string;
  /** The access token's `auth_time` (seconds since the epoch), when the sign-in it came from was recent. */
  authTime?: number;
}

/** GDPR art. 17 by the user themselves: erases the account after re-authentication. */
export class DeleteMyAccountCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly reauthentication: Reauthentication,
  ) {
    super();
  }
}

@CommandHandler(DeleteMyAccountCommand)
export class DeleteMyAccountHandler implements ICommandHandler<DeleteMyAccountCommand> {
  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly hasher: PasswordHasher,
    private readonly lockout: LockoutService,
    private readonly commands: CommandBus,
  ) {}

  async execute({ tenantId, userId, reauthentication }: DeleteMyAccountCommand): Promise<void> {
    const user = await this.users.findById(tenantId, userId);
    if (!user || user.status === 'deleted') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const { password, authTime } = reauthentication;
    if (password !== undefined) {
      const ok = user.passwordHash !== null && (await this.hasher.verify(password, user.passwordHash));
      if (!ok || this.lockout.isLocked(user)) {
        // A stolen token must not become an oracle for the password: failures count towards the lockout.
        const settings = resolveTenantSettings((await this.tenants.findById(tenantId))?.settings ?? {});
        if (!ok) await this.lockout.recordFailure(user, settings.lockoutPolicy, 'password');
        throw new IdentityError(IdentityErrorCode.InvalidCredentials, 'The password is not correct');
      }
    } else if (authTime === undefined || Date.now() / 1000 - authTime > REAUTHENTICATION_MAX_AGE_SECONDS) {
      throw new IdentityError(
        IdentityErrorCode.ReauthenticationRequired,
        `Sign in again (at most ${REAUTHENTICATION_MAX_AGE_SECONDS / 60} minutes ago) or give your password`,
      );
    }
    await this.commands.execute(new EraseUserCommand(tenantId, userId, userId));
  }
}
