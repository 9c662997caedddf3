import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { type AccountPage, accountPageLink } from '@platform/contracts';
import { IDENTITY_CONFIG } from '../common/tokens';
import type { IdentityBackendConfig } from '../config';
import type { EmailTokenPurpose } from '../email-flows/email-token.entity';
import { EmailTokens } from '../email-flows/email-tokens';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { TenantsRepository } from '../tenants/tenants.repository';
import { UsersRepository } from '../users/users.repository';
import { Mailer } from './mailer';
import { MailOutbox, type OutboxMail } from './mail-outbox';
import { mailLocale, newDeviceValues, renderMail } from './templates';

const POLL_MS = 500;
const BATCH = 20;

/**
 * Delivers the mail outbox: renders each mail in the recipient's language with the tenant's
 * branding, makes its single-use link (so a token exists only once its mail is being sent, and
 * a retry makes a fresh one), and sends it. Runs on every replica; rows are claimed with
 * SKIP LOCKED, so each mail goes out once (at least once if a process dies mid-send).
 */
@Injectable()
export class MailRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MailRelay');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly outbox: MailOutbox,
    private readonly mailer: Mailer,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly tokens: EmailTokens,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass over the due mail (skipped while the previous pass still runs). */
  runOnce(): Promise<unknown> {
    this.running ??= this.outbox
      .deliverDue(BATCH, (mail) => this.deliver(mail))
      .catch((error: Error) => this.logger.warn(`mail outbox pass failed: ${error.message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async deliver(mail: OutboxMail): Promise<void> {
    const [user, tenant] = await Promise.all([
      this.users.findById(mail.tenantId, mail.userId),
      this.tenants.findById(mail.tenantId),
    ]);
    // The user was deleted (or never verified what they asked for) since: nothing to tell.
    if (!user || !tenant || user.status === 'deleted') return;
    if (mail.kind === 'verify_email' && user.emailVerified) return;
    const settings = resolveTenantSettings(tenant.settings);
    const base = this.config.ACCOUNT_URL;
    const tenantQuery = { tenant: tenant.slug };
    const verifyTtl = this.config.EMAIL_VERIFICATION_TTL_MINUTES;
    const resetTtl = this.config.PASSWORD_RESET_TTL_MINUTES;
    const hours = String(Math.round(verifyTtl / 60) || 1);
    const locale = mailLocale(user.profile?.locale, settings);
    const values: Record<string, string> = { ...mail.params, hours, minutes: String(resetTtl) };
    // A page of the account app that the link carries a fresh single-use token to.
    const tokenLink = async (
      page: AccountPage,
      purpose: EmailTokenPurpose,
      ttl: number,
      payload?: Record<string, string>,
    ) =>
      accountPageLink(base, page, { token: await this.tokens.issue(user.id, purpose, ttl, payload), ...tenantQuery });
    let link: string;
    switch (mail.kind) {
      case 'verify_email':
        link = await tokenLink('verifyEmail', 'verify_email', verifyTtl);
        break;
      case 'password_reset':
      case 'account_locked':
        link = await tokenLink('resetPassword', 'reset_password', resetTtl);
        break;
      case 'email_change_confirm':
        link = await tokenLink('confirmEmailChange', 'change_email', verifyTtl, { newEmail: mail.recipient! });
        break;
      case 'password_changed':
      case 'email_change_alert':
        link = accountPageLink(base, 'forgotPassword', tenantQuery);
        break;
      case 'new_device_sign_in':
        Object.assign(values, newDeviceValues(mail.params, locale));
        link = accountPageLink(base, 'consoleSessions', tenantQuery);
        break;
      case 'impersonation_started':
        // The end of the session in the recipient's language and UTC, like a new-device mail's time.
        values.time = newDeviceValues(mail.params.until ? { signedInAt: mail.params.until } : {}, locale).time;
        link = accountPageLink(base, 'console');
        break;
      case 'welcome':
      case 'mfa_enabled':
      case 'mfa_disabled':
        link = accountPageLink(base, 'console');
        break;
    }
    const branding = { tenantName: tenant.displayName, settings };
    await this.mailer.send({
      to: mail.recipient ?? user.email,
      ...renderMail(mail.kind, branding, locale, link, values),
    });
  }
}
