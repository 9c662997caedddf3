import { Injectable, Logger, Optional } from '@nestjs/common';
import { IdentityInternalError, SecurityEventTypes } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecurityEvents } from '../../events/security-events';
import { ImpersonationSessions } from '../../impersonation/impersonation-sessions';
import { acrOf, grantedAcr, unmetAcr } from '../../oidc/acr';
import { ClientTenants } from '../../oidc/client-tenants';
import { OidcProviderHolder } from '../../oidc/oidc-provider.holder';
import { DeviceCookies } from '../device-cookies';
import { NewDeviceAlerts } from '../new-device-alerts';
import type { RenderedPage } from '../pages/layout';
import { unavailablePage } from '../pages/pages';
import {
  clientIpOf,
  type InteractionOutcome,
  type InteractionPage,
  type InteractionResult,
  keepPending,
} from './interaction-page';
import { StepPages } from './step-pages';

export type LoginFailureReason =
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'account_locked'
  | 'invalid_mfa_code'
  | 'federation_failed'
  | 'invalid_passkey'
  | 'passkey_counter_regression';

const COUNTED_FAILURES = new Set<string>(['invalid_credentials', 'too_many_attempts', 'account_locked']);

/** What every step ends with: the sign-in completed (or the next step), a failure recorded and explained, or the request ended. */
@Injectable()
export class SignInCompletion {
  private readonly logger = new Logger('Interactions');

  constructor(
    private readonly oidc: OidcProviderHolder,
    private readonly devices: DeviceCookies,
    private readonly security: SecurityEvents,
    private readonly clientTenants: ClientTenants,
    private readonly pages: StepPages,
    private readonly newDevices: NewDeviceAlerts,
    @Optional() private readonly impersonation?: ImpersonationSessions,
  ) {}

  /**
   * Completes the login, unless a temporary password must be replaced first. `device`: the MFA
   * step's part (mfa.step.ts): the id of the browser it just trusted (the cookie then carries that
   * id), or that a trusted browser stood in for the second factor (said in the login event).
   */
  async signedIn(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    account: { userId: string; tenantId: string; amr: string[] },
    mustChangePassword: boolean,
    device: { trustedId?: string; satisfiedMfa?: boolean } = {},
  ): Promise<InteractionOutcome> {
    if (mustChangePassword) {
      await keepPending(page.interaction, { pendingPasswordChange: account });
      return this.pages.passwordChange(await this.pages.inUserLanguage(page, account.userId));
    }
    // OIDC Core §5.5.1.1: an essential acr this sign-in did not reach ends the request, back at the client.
    const reached = acrOf(account.amr);
    if (unmetAcr(page.interaction.params, reached)) {
      return this.finish(req, res, {
        error: 'unmet_authentication_requirements',
        error_description: 'the requested authentication level could not be reached for this account',
      });
    }
    await this.security.record({
      type: SecurityEventTypes.loginSucceeded,
      subject: account.userId,
      tenantId: account.tenantId,
      data: {
        userId: account.userId,
        clientId: page.clientId,
        method: signInMethod(account.amr),
        amr: account.amr,
        ...(device.satisfiedMfa ? { secondFactor: 'trusted_device' } : {}),
        ip: clientIpOf(req),
      },
    });
    const acr = grantedAcr(page.interaction.params, reached);
    const known = this.devices.read(req);
    await this.newDevices.signedIn(req, account, known);
    // The browser's device id, or the one the MFA step just trusted for a browser that had none.
    const previous = device.trustedId ? { deviceId: device.trustedId } : known;
    res.appendHeader('set-cookie', this.devices.issue(account, previous));
    // A browser holding an impersonation start link: the administrator just proved it is them, the session becomes the user's.
    const acting = await this.impersonation?.takeOver(req, res, account, acr);
    return this.finish(req, res, acting ?? { login: { accountId: account.userId, amr: account.amr, acr } });
  }

  async finish(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    mergeWithLastSubmission = false,
  ): Promise<null> {
    await this.oidc.provider.interactionFinished(req, res, result, { mergeWithLastSubmission });
    return null;
  }

  /** The login page again, saying what went wrong in the user's language (uniform for unknown users and wrong passwords). */
  async failure(req: IncomingMessage, page: InteractionPage, error: unknown, login?: string): Promise<RenderedPage> {
    if (error instanceof IdentityInternalError && COUNTED_FAILURES.has(error.failure)) {
      await this.loginFailed(req, page, error.failure as LoginFailureReason);
    }
    const { t } = page.i18n;
    if (error instanceof IdentityInternalError) {
      switch (error.failure) {
        case 'invalid_credentials':
        case 'tenant_not_found':
        case 'invalid_request':
          return this.pages.login(page, { error: t('login.errors.invalidCredentials'), status: 401, login });
        case 'account_locked':
          // Only ever said after the right password (the backend decides), so it tells nothing to who lacks it.
          return this.pages.login(page, {
            error: t('login.errors.accountLocked'),
            status: 401,
            login,
            wayOut: 'forgotPassword',
          });
        case 'email_not_verified':
          // Also only after the right password: the address must be confirmed first (tenant setting).
          return this.pages.login(page, {
            error: t('login.errors.emailNotVerified'),
            status: 403,
            login,
            wayOut: 'verifyEmail',
          });
        case 'too_many_attempts': {
          const limited = await this.pages.login(page, {
            error: t('login.errors.tooManyAttempts'),
            status: 429,
            login,
          });
          if (error.retryAfterSeconds) limited.headers['retry-after'] = String(error.retryAfterSeconds);
          return limited;
        }
        default:
      }
    }
    this.logger.warn(`sign-in step failed: ${(error as Error).message}`);
    return unavailablePage(page);
  }

  async loginFailed(
    req: IncomingMessage,
    page: InteractionPage,
    reason: LoginFailureReason,
    userId: string | null = null,
  ): Promise<void> {
    const { clientId } = page;
    await this.security.record({
      type: SecurityEventTypes.loginFailed,
      subject: userId ?? clientId,
      tenantId: (await this.clientTenants.of(clientId)) ?? null,
      data: { clientId, userId, reason, ip: clientIpOf(req) },
    });
  }
}

/** How the first factor was proven: an upstream IdP, a passkey without a password (hwk/swk), or the password. */
const signInMethod = (amr: string[]): 'federated' | 'passkey' | 'password' =>
  amr.includes('fed')
    ? 'federated'
    : !amr.includes('pwd') && amr.some((m) => m === 'hwk' || m === 'swk')
      ? 'passkey'
      : 'password';
