import { Inject, Injectable, Logger } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { IDENTITY_CLIENT } from '../../tokens';
import { FederatedLogin, type PendingFederation } from '../federated-login';
import type { RenderedPage } from '../pages/layout';
import { expiredPage } from '../pages/pages';
import { type InteractionOutcome, type InteractionPage, keepPending, redirectTo } from './interaction-page';
import { MfaStep } from './mfa.step';
import { SignInCompletion } from './sign-in-completion';
import { StepPages } from './step-pages';

/**
 * "Sign in with <IdP>": off to the upstream provider and back, then the backend links or provisions
 * the local user. Where the backend says a second factor is still due (an administrator under
 * passkeys: required-for-admins), the MFA step follows as after a password (login.step.ts).
 */
@Injectable()
export class FederationStep {
  private readonly logger = new Logger('Interactions');

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly federation: FederatedLogin,
    private readonly pages: StepPages,
    private readonly completion: SignInCompletion,
    private readonly mfa: MfaStep,
  ) {}

  /** State, nonce and PKCE are kept in the interaction, server-side. */
  async start(page: InteractionPage, slug: string): Promise<RenderedPage> {
    const { t } = page.i18n;
    const provider = (await this.federation.providers(page.tenantRef)).find((p) => p.slug === slug);
    if (!provider) return this.pages.login(page, { error: t('login.errors.optionUnavailable'), status: 404 });
    try {
      const { url, pending } = await this.federation.start(provider, page.uid);
      await keepPending(page.interaction, { pendingFederation: pending });
      return redirectTo(url);
    } catch (error) {
      this.logger.warn(`upstream IdP ${provider.slug} unavailable: ${(error as Error).message}`);
      const error503 = t('login.errors.providerUnreachable', { provider: provider.displayName });
      return this.pages.login(page, { error: error503, status: 503 });
    }
  }

  /** Back from the upstream provider: redeem its code, then resolve the local user. */
  async finish(
    req: IncomingMessage,
    res: ServerResponse,
    page: InteractionPage,
    pending: PendingFederation,
    query: string,
  ): Promise<InteractionOutcome> {
    const { t } = page.i18n;
    const params = new URLSearchParams(query);
    if (params.get('state') !== pending.state) return expiredPage(page);
    if (params.has('error'))
      return this.pages.login(page, { error: t('login.errors.federationCancelled'), status: 401 });
    const provider = (await this.federation.providers(page.tenantRef)).find((p) => p.id === pending.providerId);
    if (!provider) return expiredPage(page);
    let upstream: { subject: string; claims: Record<string, unknown> };
    try {
      upstream = await this.federation.finish(provider, pending, query);
    } catch (error) {
      this.logger.warn(`upstream sign-in with ${provider.slug} failed: ${(error as Error).message}`);
      await this.completion.loginFailed(req, page, 'federation_failed');
      const failed = t('login.errors.federationFailed', { provider: provider.displayName });
      return this.pages.login(page, { error: failed, status: 401 });
    }
    try {
      const local = await this.identity.resolveExternalIdentity({
        tenantId: provider.tenantId,
        providerId: provider.id,
        subject: upstream.subject,
        claims: upstream.claims,
      });
      const account = { userId: local.userId, tenantId: local.tenantId, amr: ['fed'] };
      if (local.mfaMethods?.length) {
        const pendingMfa = { userId: local.userId, tenantId: local.tenantId, methods: local.mfaMethods };
        return this.mfa.begin(req, res, page, { ...pendingMfa, firstFactor: account.amr }, account.amr);
      }
      return this.completion.signedIn(req, res, page, account, false);
    } catch (error) {
      if (error instanceof IdentityInternalError && ['no_linked_user', 'user_inactive'].includes(error.failure)) {
        return this.pages.login(page, { error: t('login.errors.noLinkedAccount'), status: 403 });
      }
      if (error instanceof IdentityInternalError && error.failure === 'passkey_required') {
        return this.pages.passkeyRequired(page);
      }
      return this.completion.failure(req, page, error);
    }
  }
}
