import { Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionPage, PendingMfa } from './interaction-page';
import { MfaStep } from './mfa.step';
import { StepPages } from './step-pages';

/** The way in without the phone: a single-use recovery code instead of the authenticator's code. */
@Injectable()
export class RecoveryCodeStep {
  constructor(
    private readonly pages: StepPages,
    private readonly mfa: MfaStep,
  ) {}

  show(page: InteractionPage) {
    return this.pages.mfa(page, true);
  }

  submit(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    code: string,
    remember = false,
  ) {
    return this.mfa.verify(req, res, page, pending, 'recovery_code', code, remember);
  }
}
