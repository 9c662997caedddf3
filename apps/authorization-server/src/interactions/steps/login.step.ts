import { Inject, Injectable } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CLIENT } from '../../tokens';
import { DeviceCookies } from '../device-cookies';
import { noticePage } from '../pages/pages';
import { type Form, formString, type InteractionOutcome, type InteractionPage } from './interaction-page';
import { MfaStep } from './mfa.step';
import { SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

/** The identity backend's own limits on a login name and a password. */
export const MAX_LOGIN_LENGTH = 320;
export const MAX_PASSWORD_LENGTH = 1024;

/** The password step: checks the credentials with the backend, then on to MFA (mfa.step.ts: asked, or skipped on a trusted device), a password change, or done. */
@Injectable()
export class LoginStep {
  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly devices: DeviceCookies,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
    private readonly mfa: MfaStep,
  ) {}

  show(page: InteractionPage, switching = false) {
    return this.pages.login(page, {}, switching);
  }

  async submit(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    form: Form,
    clientIp: string,
  ): Promise<InteractionOutcome> {
    const login = formString(form, 'login').trim();
    const password = formString(form, 'password');
    if (!login || !password) {
      return this.pages.login(page, { error: page.i18n.t('login.errors.missingFields'), status: 400 });
    }
    // Nothing that long exists: answered like any wrong credentials, without bothering the backend.
    if (login.length > MAX_LOGIN_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      const tooLong = new IdentityInternalError('invalid_credentials', 'too long');
      return this.completion.failure(req, page, tooLong, login.slice(0, MAX_LOGIN_LENGTH));
    }
    try {
      // A known device (device cookie) is exempt from the per-IP throttle for its own account.
      const claim = this.devices.read(req);
      const device = claim ? { deviceId: claim.deviceId, userId: claim.userId } : undefined;
      const verified = await this.identity.verifyCredentials({
        tenant: page.tenantRef,
        login,
        password,
        clientIp,
        device,
      });
      const { userId, tenantId, mustChangePassword } = verified;
      if (verified.mfaRequired && verified.mfaMethods.length > 0) {
        const pendingMfa = { userId, tenantId, methods: verified.mfaMethods, mustChangePassword };
        return this.mfa.begin(req, res, page, pendingMfa, verified.amr);
      }
      if (verified.mfaRequired) {
        return noticePage(page, 403, 'mfa.enrollmentRequired', 'mfa_enrollment_required');
      }
      return this.completion.signedIn(req, res, page, { userId, tenantId, amr: verified.amr }, mustChangePassword);
    } catch (error) {
      // Said only after the right password (the backend decides): passkeys: required-for-admins, none registered.
      if (error instanceof IdentityInternalError && error.failure === 'passkey_required') {
        return this.pages.passkeyRequired(page);
      }
      return this.completion.failure(req, page, error, login);
    }
  }
}
