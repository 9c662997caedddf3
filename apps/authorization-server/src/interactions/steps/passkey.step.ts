import { Inject, Injectable } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError, type PasskeyAssertionJSON } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CLIENT } from '../../tokens';
import { passkeyErrorMessage } from '../pages/passkey-pages';
import type { InteractionOutcome, InteractionPage, PendingMfa } from './interaction-page';
import { MfaStep } from './mfa.step';
import { type LoginFailureReason, SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

/** More than any assertion's JSON (the backend bounds each field to 16 KiB); longer is refused unread. */
const MAX_CREDENTIAL_LENGTH = 64 * 1024;

/** Identity failures a passkey answer can end with, and the sign-in failure each is recorded as. */
const REFUSALS: Partial<Record<IdentityInternalError['failure'], { reason: LoginFailureReason; status: number }>> = {
  invalid_passkey: { reason: 'invalid_passkey', status: 401 },
  // A malformed assertion (the backend's validation refused it): the same answer as a wrong one.
  invalid_request: { reason: 'invalid_passkey', status: 401 },
  // A clone of a passkey (the backend refused and audited it): said as such, so the user can act.
  passkey_counter_regression: { reason: 'passkey_counter_regression', status: 401 },
  passkeys_disabled: { reason: 'invalid_passkey', status: 403 },
};

/**
 * Passkey sign-in on the hosted pages: the login page's passwordless first factor (discoverable
 * credentials, conditional UI) and the MFA page's second factor. The browser's script
 * (pages/passkey-script.ts) posts the assertion as JSON in the form field `credential`; the identity
 * backend verifies it (challenge, signature, user verification, sign counter) and answers who it is.
 */
@Injectable()
export class PasskeyStep {
  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
    private readonly mfa: MfaStep,
  ) {}

  /** Passwordless: the assertion answers the login page's discoverable options; it says who signs in. */
  async signIn(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    rawCredential: string,
  ): Promise<InteractionOutcome> {
    const credential = parseAssertion(rawCredential);
    if (!credential) return this.refusedAtLogin(req, page, new IdentityInternalError('invalid_passkey', 'malformed'));
    try {
      const verified = await this.identity.verifyPasskey({ tenant: page.tenantRef, credential });
      const { userId, tenantId, amr, mustChangePassword } = verified;
      return this.completion.signedIn(req, res, page, { userId, tenantId, amr }, mustChangePassword);
    } catch (error) {
      return this.refusedAtLogin(req, page, error);
    }
  }

  /** The second factor after the password: an assertion of one of this user's own passkeys. */
  async secondFactor(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingMfa,
    rawCredential: string,
    remember = false,
  ): Promise<InteractionOutcome> {
    const credential = parseAssertion(rawCredential);
    const { userId, tenantId } = pending;
    try {
      if (!credential || !pending.methods.includes('passkey')) {
        throw new IdentityInternalError('invalid_passkey', 'no passkey assertion for this step');
      }
      const { amr } = await this.identity.verifyMfa({ tenantId, userId, method: 'passkey', passkey: credential });
      // "Remember this device" with a passkey: a `strong` trusted device (mfa.step.ts).
      return await this.mfa.passed(req, res, page, pending, amr, remember);
    } catch (error) {
      const refusal = error instanceof IdentityInternalError ? REFUSALS[error.failure] : undefined;
      if (!refusal) return this.completion.failure(req, page, error);
      await this.completion.loginFailed(req, page, refusal.reason, userId);
      return this.pages.mfa(page, false, passkeyErrorMessage(failureOf(error), page.i18n), refusal.status);
    }
  }

  private async refusedAtLogin(req: IncomingMessage, page: InteractionPage, error: unknown) {
    const refusal = error instanceof IdentityInternalError ? REFUSALS[error.failure] : undefined;
    // Locked account, unavailable backend, …: as after a password.
    if (!refusal) return this.completion.failure(req, page, error);
    await this.completion.loginFailed(req, page, refusal.reason);
    return this.pages.login(page, {
      error: passkeyErrorMessage(failureOf(error), page.i18n),
      status: refusal.status,
    });
  }
}

const failureOf = (error: unknown): string => (error instanceof IdentityInternalError ? error.failure : '');

/**
 * The assertion the script posted (PublicKeyCredential#toJSON()), reduced to the fields the
 * backend reads; null when it is not one. The backend validates every field again.
 */
export function parseAssertion(raw: string): PasskeyAssertionJSON | null {
  if (!raw || raw.length > MAX_CREDENTIAL_LENGTH) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, rawId, type, response, authenticatorAttachment, clientExtensionResults } = value as Record<
    string,
    unknown
  >;
  if (typeof id !== 'string' || typeof rawId !== 'string' || type !== 'public-key') return null;
  if (typeof response !== 'object' || response === null) return null;
  const { clientDataJSON, authenticatorData, signature, userHandle } = response as Record<string, unknown>;
  if (typeof clientDataJSON !== 'string' || typeof authenticatorData !== 'string' || typeof signature !== 'string') {
    return null;
  }
  return {
    id,
    rawId,
    type,
    response: {
      clientDataJSON,
      authenticatorData,
      signature,
      ...(typeof userHandle === 'string' ? { userHandle } : {}),
    },
    ...(authenticatorAttachment === 'platform' || authenticatorAttachment === 'cross-platform'
      ? { authenticatorAttachment }
      : {}),
    clientExtensionResults:
      typeof clientExtensionResults === 'object' && clientExtensionResults !== null
        ? (clientExtensionResults as Record<string, unknown>)
        : {},
  };
}
