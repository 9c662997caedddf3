import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { UsersRepository } from '../../users/users.repository';
import { deviceOf } from '@platform/runtime';
import { MailOutbox } from '../mail-outbox';

export class NotifyNewDeviceSignInCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly userAgent: string,
    readonly signedInAt: Date,
  ) {
    super();
  }
}

/**
 * Seed 004's "new sign-in from an unknown device": the authorization server says a sign-in
 * completed in a browser without this account's device cookie; when the tenant has the alert on,
 * the user is mailed (through the outbox, so an SMTP outage loses nothing) with the time, the
 * browser and system (never the raw User-Agent or the IP address) and a link to their sessions.
 */
@CommandHandler(NotifyNewDeviceSignInCommand)
export class NotifyNewDeviceSignInHandler implements ICommandHandler<NotifyNewDeviceSignInCommand> {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly users: UsersRepository,
    private readonly mail: MailOutbox,
  ) {}

  async execute({ tenantId, userId, userAgent, signedInAt }: NotifyNewDeviceSignInCommand): Promise<void> {
    const [tenant, user] = await Promise.all([this.tenants.findById(tenantId), this.users.findById(tenantId, userId)]);
    if (!tenant || !user || user.status !== 'active') return;
    if (!resolveTenantSettings(tenant.settings).newDeviceAlerts) return;
    const { browser, system } = deviceOf(userAgent);
    const params: Record<string, string> = { signedInAt: signedInAt.toISOString() };
    if (browser) params.browser = browser;
    if (system) params.system = system;
    await this.mail.enqueueNow([{ kind: 'new_device_sign_in', tenantId, userId, params }]);
  }
}
