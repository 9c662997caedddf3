import { Inject, Injectable } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CLIENT } from '../../tokens';
import { type InteractionOutcome, type InteractionPage, type PendingMfa } from './interaction-page';
import { SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

export type SecondFactor = 'totp' | 'recovery_code';

/**
 * The second factor after the password: a code from the authenticator app (TOTP). The recovery
 * code step shares `verify` (the same backend call, another method and page).
 */
@Injectable()
export class MfaStep {
  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
  ) {}

  show(page: InteractionPage) {
    return this.pages.mfa(page, false);
  }

  submit(req: IncomingMessage, res: ServerResponse, page: InteractionPage, pending: PendingMfa, code: string) {
    return this.verify(req, res, page, pending, 'totp', code);
  }

  async verify(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    method: SecondFactor,
    rawCode: string,
  ): Promise<InteractionOutcome> {
    const recovery = method === 'recovery_code';
    const code = rawCode.replace(/\s+/g, '');
    if (!code) return this.pages.mfa(page, recovery, page.i18n.t('mfa.errors.missingCode'), 400);
    try {
      const { amr } = await this.identity.verifyMfa({
        tenantId: pending.tenantId,
        userId: pending.userId,
        method,
        code,
      });
      const { userId, tenantId, mustChangePassword } = pending;
      return this.completion.signedIn(req, res, page, { userId, tenantId, amr }, mustChangePassword === true);
    } catch (error) {
      if (error instanceof IdentityInternalError && error.failure === 'invalid_mfa_code') {
        await this.completion.loginFailed(req, page, 'invalid_mfa_code', pending.userId);
        return this.pages.mfa(page, recovery, page.i18n.t('mfa.errors.invalidCode'), 401);
      }
      return this.completion.failure(req, page, error);
    }
  }
}
