import { Inject, Injectable, Logger } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TrustedDevice } from '../../devices/trusted-device.entity';
import { TrustedDevices } from '../../devices/trusted-devices.service';
import { asksBeyondPassword } from '../../oidc/acr';
import { IDENTITY_CLIENT } from '../../tokens';
import { DeviceCookies, userAgentOf } from '../device-cookies';
import { HostedTenants } from '../hosted-tenants';
import { type InteractionOutcome, type InteractionPage, keepPending, type PendingMfa } from './interaction-page';
import { SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

export type SecondFactor = 'totp' | 'recovery_code';

/**
 * The second factor after the password (or after an upstream sign-in the backend asks one of: the
 * federation step): a code from the authenticator app (TOTP). The recovery code step shares
 * `verify` (the same backend call, another method and page), the passkey step `passed`.
 *
 * Trusted devices (issue 16): where the tenant allows it (allowMfaBypassOnTrustedDevice), the page
 * offers "Remember this device for N days"; ticked, a passed second factor makes this browser (its
 * device cookie's id) trusted in the store (devices/) until then. At a later sign-in of the same
 * user on it the step is skipped: the sign-in keeps the password's amr (no otp, no mfa), so it
 * reaches the password acr only, and its login event says a trusted device stood in. Never skipped
 * when the client asks for the MFA acr, nor before a temporary password's change.
 */
@Injectable()
export class MfaStep {
  private readonly logger = new Logger('MfaStep');

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
    private readonly tenants: HostedTenants,
    private readonly devices: DeviceCookies,
    private readonly trusted: TrustedDevices,
  ) {}

  /** The password was right and a second factor is due: skipped on this user's trusted device (see above), else asked. */
  async begin(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    amr: string[],
  ): Promise<InteractionOutcome> {
    const device = await this.trustedDevice(req, page, pending);
    if (device) {
      const { userId, tenantId } = pending;
      this.logger.log(
        `second factor of user ${userId} satisfied by trusted device ${device.id} (amr ${amr.join(' ')})`,
      );
      return this.completion.signedIn(req, res, page, { userId, tenantId, amr }, false, { satisfiedMfa: true });
    }
    await keepPending(page.interaction, { pendingMfa: pending });
    return this.pages.mfa(await this.pages.inUserLanguage(page, pending.userId), false);
  }

  show(page: InteractionPage) {
    return this.pages.mfa(page, false);
  }

  submit(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    code: string,
    remember = false,
  ) {
    return this.verify(req, res, page, pending, 'totp', code, remember);
  }

  async verify(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    method: SecondFactor,
    rawCode: string,
    remember = false,
  ): Promise<InteractionOutcome> {
    const recovery = method === 'recovery_code';
    const code = rawCode.replace(/\s+/g, '');
    if (!code) return this.pages.mfa(page, recovery, page.i18n.t('mfa.errors.missingCode'), 400);
    // Only a method this sign-in was offered: under passkeys: required-for-admins, an administrator's
    // authenticator app (and its recovery codes) is none, whatever code the form posts.
    if (!pending.methods.includes(method)) {
      await this.completion.loginFailed(req, page, 'invalid_mfa_code', pending.userId);
      return this.pages.mfa(page, recovery, page.i18n.t('mfa.errors.invalidCode'), 401);
    }
    try {
      const { amr } = await this.identity.verifyMfa({
        tenantId: pending.tenantId,
        userId: pending.userId,
        method,
        code,
      });
      return await this.passed(req, res, page, pending, amr, remember);
    } catch (error) {
      if (error instanceof IdentityInternalError && error.failure === 'invalid_mfa_code') {
        await this.completion.loginFailed(req, page, 'invalid_mfa_code', pending.userId);
        return this.pages.mfa(page, recovery, page.i18n.t('mfa.errors.invalidCode'), 401);
      }
      return this.completion.failure(req, page, error);
    }
  }

  /** Any second factor passed (code, recovery code, passkey): the browser remembered when asked, then the sign-in completed. */
  async passed(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    amr: string[],
    remember: boolean,
  ): Promise<InteractionOutcome> {
    const { userId, tenantId, mustChangePassword } = pending;
    // The backend's answer names the password as the first factor; after an upstream sign-in it was that (fed).
    const methods = pending.firstFactor ? [...pending.firstFactor, ...amr.filter((m) => m !== 'pwd')] : amr;
    // A temporary password's sign-in is not remembered: its cookie is only set after the change.
    const trustedId = remember && !mustChangePassword ? await this.remember(req, page, pending, methods) : undefined;
    return this.completion.signedIn(req, res, page, { userId, tenantId, amr: methods }, mustChangePassword === true, {
      trustedId,
    });
  }

  /** Trusts this browser (its cookie's device id, or a new one the completion's cookie then carries). */
  private async remember(
    req: IncomingMessage,
    page: InteractionPage,
    pending: PendingMfa,
    amr: string[],
  ): Promise<string | undefined> {
    const { trustedDevices } = await this.tenants.tenant(pending.tenantId);
    // Not offered by the tenant: a posted "remember" changes nothing.
    if (!trustedDevices.allowMfaBypass) return undefined;
    const deviceId = this.devices.read(req)?.deviceId ?? DeviceCookies.newDeviceId();
    try {
      await this.trusted.trust(pending, deviceId, {
        amr,
        userAgent: userAgentOf(req),
        days: trustedDevices.days,
        clientId: page.clientId,
      });
      return deviceId;
    } catch (error) {
      // The sign-in goes on; the next one on this browser asks for the second factor again.
      this.logger.warn(`device not remembered: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** The store's trust for this browser and user, when the tenant and this request let it replace the second factor. */
  private async trustedDevice(
    req: IncomingMessage,
    page: InteractionPage,
    pending: PendingMfa,
  ): Promise<TrustedDevice | null> {
    if (pending.mustChangePassword) return null;
    // The client asked for the MFA level or above (acr_values or claims): only a second factor reaches it.
    if (asksBeyondPassword(page.interaction.params)) return null;
    if (!(await this.tenants.tenant(pending.tenantId)).trustedDevices.allowMfaBypass) return null;
    return this.trusted.trustedFor(pending, this.devices.read(req)).catch((error: Error) => {
      this.logger.warn(`trusted device not checked, second factor asked: ${error.message}`);
      return null;
    });
  }
}
