import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@platform/runtime';
import { LockoutService } from '../credentials/lockout.service';
import { PasswordHasher } from '../credentials/password-hasher';
import { assertReauthenticated, type Reauthentication } from '../credentials/reauthentication';
import { EraseUserCommand } from '../gdpr/gdpr.commands';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { TenantsRepository } from '../tenants/tenants.repository';
import { existingUser, UsersRepository } from '../users/users.repository';

// The window the route's documentation names (me.controller.ts).
export { REAUTHENTICATION_MAX_AGE_SECONDS } from '../credentials/reauthentication';

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
    private readonly clock: Clock,
  ) {}

  async execute({ tenantId, userId, reauthentication }: DeleteMyAccountCommand): Promise<void> {
    const user = existingUser(await this.users.findById(tenantId, userId));
    await assertReauthenticated(user, reauthentication, {
      hasher: this.hasher,
      lockout: this.lockout,
      lockoutPolicy: async () =>
        resolveTenantSettings((await this.tenants.findById(tenantId))?.settings ?? {}).lockoutPolicy,
      clock: this.clock,
    });
    await this.commands.execute(new EraseUserCommand(tenantId, userId, userId));
  }
}
