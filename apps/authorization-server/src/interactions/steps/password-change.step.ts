import { Inject, Injectable } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CLIENT } from '../../tokens';
import {
  type Form,
  formString,
  type InteractionOutcome,
  type InteractionPage,
  type PendingPasswordChange,
} from './interaction-page';
import { SignInCompletion } from './sign-in-completion';
import { violationsOf } from '../../self-service/password-policy';
import { StepPages } from './step-pages';

/** A temporary password is replaced before the sign-in completes (the current one is asked again, never stored). */
@Injectable()
export class PasswordChangeStep {
  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
  ) {}

  show(page: InteractionPage) {
    return this.pages.passwordChange(page);
  }

  async submit(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingPasswordChange,
    form: Form,
  ): Promise<InteractionOutcome> {
    const { t } = page.i18n;
    const [currentPassword, newPassword, confirmPassword] = ['currentPassword', 'newPassword', 'confirmPassword'].map(
      (field) => formString(form, field),
    );
    if (!currentPassword || !newPassword)
      return this.pages.passwordChange(page, t('password.errors.missingFields'), 400);
    if (newPassword !== confirmPassword) return this.pages.passwordChange(page, t('password.errors.mismatch'), 400);
    try {
      await this.identity.changePassword({
        tenantId: pending.tenantId,
        userId: pending.userId,
        currentPassword,
        newPassword,
      });
    } catch (error) {
      if (error instanceof IdentityInternalError) {
        if (error.failure === 'invalid_credentials') {
          return this.pages.passwordChange(page, t('password.errors.currentWrong'), 401);
        }
        if (error.failure === 'weak_password' || error.failure === 'password_reused') {
          const generic = t(error.failure === 'weak_password' ? 'password.errors.weak' : 'password.errors.reused');
          return this.pages.passwordChange(page, generic, 400, violationsOf(error.failure, error.details));
        }
      }
      return this.completion.failure(req, page, error);
    }
    return this.completion.signedIn(req, res, page, pending, false);
  }
}
