import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import { ClientTenants } from '../oidc/client-tenants';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { AUTHZ_CONFIG } from '../tokens';
import { CsrfTokens } from './csrf';
import { HostedTenants } from './hosted-tenants';
import { chosenLocale, languageCookie } from './language-choice';
import { pageI18n, type RenderedPage } from './pages/layout';
import { expiredPage, noticePage } from './pages/pages';
import { ConsentStep } from './steps/consent.step';
import { FederationStep } from './steps/federation.step';
import {
  type Form,
  formString,
  type InteractionOutcome,
  type InteractionPage,
  interactionUrl,
  type OidcInteraction,
  paramOf,
  pendingOf,
} from './steps/interaction-page';
import { LoginStep } from './steps/login.step';
import { MfaStep } from './steps/mfa.step';
import { PasskeyStep } from './steps/passkey.step';
import { PasswordChangeStep } from './steps/password-change.step';
import { RecoveryCodeStep } from './steps/recovery-code.step';
import { StepPages } from './steps/step-pages';

export type { InteractionOutcome } from './steps/interaction-page';

/** An error's message, with oidc-provider's error_description (its message is only the code): never the request. */
function reasonOf(error: unknown): string {
  const { message, error_description: description } = error as Error & { error_description?: unknown };
  return typeof description === 'string' ? `${message} (${description})` : String(message);
}

/**
 * The hosted sign-in steps of an authorization request. This class only finds the interaction
 * bound to the browser, checks the form's CSRF token and the step the interaction is at, and hands
 * over to the step's module in steps/ (login, MFA, recovery code, password change, consent, federation).
 */
@Injectable()
export class InteractionsService {
  private readonly logger = new Logger('Interactions');

  constructor(
    private readonly oidc: OidcProviderHolder,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly csrf: CsrfTokens,
    private readonly tenants: HostedTenants,
    private readonly clientTenants: ClientTenants,
    private readonly loginStep: LoginStep,
    private readonly mfaStep: MfaStep,
    private readonly recoveryStep: RecoveryCodeStep,
    private readonly passwordStep: PasswordChangeStep,
    private readonly consentStep: ConsentStep,
    private readonly federationStep: FederationStep,
    private readonly passkeyStep: PasskeyStep,
    private readonly pages: StepPages,
  ) {}

  /** The page for the step the interaction is at; `?recovery=1` picks the recovery code, `?switch=1` "Not you?". */
  async show(
    req: IncomingMessage,
    res: ServerResponse,
    options: { recovery?: boolean; switching?: boolean } = {},
  ): Promise<InteractionOutcome> {
    const cookie = languageCookie(req);
    if (cookie) res.appendHeader('set-cookie', cookie);
    return this.within(req, res, async (page) => {
      const { interaction } = page;
      const pending = pendingOf(interaction);
      if (interaction.prompt.name === 'login') {
        if (pending.pendingPasswordChange) return this.passwordStep.show(page);
        if (pending.pendingMfa) return options.recovery ? this.recoveryStep.show(page) : this.mfaStep.show(page);
        return this.loginStep.show(page, options.switching === true);
      }
      if (interaction.prompt.name === 'consent') return this.consentStep.show(page);
      return expiredPage(page);
    });
  }

  login(req: IncomingMessage, res: ServerResponse, form: Form, clientIp: string): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, 'login', (page) => this.loginStep.submit(req, res, page, form, clientIp));
  }

  mfa(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, 'login', (page) => {
      const pending = pendingOf(page.interaction).pendingMfa;
      if (!pending) return expiredPage(page);
      // "Remember this device" (mfa.step.ts), with whichever second factor.
      const remember = formString(form, 'remember') === '1';
      if (form.method === 'passkey') {
        return this.passkeyStep.secondFactor(req, res, page, pending, formString(form, 'credential'), remember);
      }
      const code = formString(form, 'code');
      return form.method === 'recovery_code'
        ? this.recoveryStep.submit(req, res, page, pending, code, remember)
        : this.mfaStep.submit(req, res, page, pending, code, remember);
    });
  }

  /** Passwordless: a passkey's assertion instead of the password (the login page's passkey form). */
  passkey(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, 'login', (page) => {
      const pending = pendingOf(page.interaction);
      // Only at the first step: a pending second factor or password change is not skipped by a passkey.
      if (pending.pendingMfa || pending.pendingPasswordChange) return expiredPage(page);
      return this.passkeyStep.signIn(req, res, page, formString(form, 'credential'));
    });
  }

  changePassword(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, 'login', (page) => {
      const pending = pendingOf(page.interaction).pendingPasswordChange;
      return pending ? this.passwordStep.submit(req, res, page, pending, form) : expiredPage(page);
    });
  }

  consent(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, 'consent', (page) => {
      const accountId = page.interaction.session?.accountId;
      return accountId ? this.consentStep.submit(req, res, page, accountId) : expiredPage(page);
    });
  }

  abort(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.submitted(req, res, form, null, () => this.consentStep.abort(req, res));
  }

  startFederation(req: IncomingMessage, res: ServerResponse, slug: string): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) =>
      page.interaction.prompt.name === 'login' ? this.federationStep.start(page, slug) : expiredPage(page),
    );
  }

  finishFederation(req: IncomingMessage, res: ServerResponse, query: string): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      const pending = pendingOf(page.interaction).pendingFederation;
      if (page.interaction.prompt.name !== 'login' || !pending) return expiredPage(page);
      return this.federationStep.finish(req, res, page, pending, query);
    });
  }

  /** A form post: the CSRF token must match this interaction, and the interaction be at the step the form belongs to. */
  private submitted(
    req: IncomingMessage,
    res: ServerResponse,
    form: Form,
    prompt: 'login' | 'consent' | null,
    step: (page: InteractionPage) => Promise<InteractionOutcome> | InteractionOutcome,
  ): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.csrf.verify(page.uid, form.csrf)) return this.forbidden(page);
      if (prompt && page.interaction.prompt.name !== prompt) return expiredPage(page);
      return step(page);
    });
  }

  /** Loads the interaction bound to this browser, then runs a step; expired or foreign interactions get a page, not an error. */
  private async within(
    req: IncomingMessage,
    res: ServerResponse,
    step: (page: InteractionPage) => Promise<InteractionOutcome>,
  ): Promise<InteractionOutcome> {
    let interaction: OidcInteraction;
    try {
      interaction = await this.oidc.provider.interactionDetails(req, res);
    } catch (error) {
      // Mostly an expired or foreign interaction; logged so that a failing store is not taken for one.
      this.logger.warn(`interaction not loaded, expired page shown: ${reasonOf(error)}`);
      return expiredPage({
        i18n: pageI18n({ chosen: chosenLocale(req), acceptLanguage: req.headers['accept-language'] }),
      });
    }
    return step(await this.pageContext(interaction, req));
  }

  private async pageContext(interaction: OidcInteraction, req: IncomingMessage): Promise<InteractionPage> {
    const clientId = paramOf(interaction, 'client_id') ?? '';
    const client = await this.oidc.provider.Client.find(clientId);
    const tenantRef =
      (await this.clientTenants.of(clientId)) ?? paramOf(interaction, 'tenant') ?? this.config.DEFAULT_LOGIN_TENANT;
    const tenant = await this.tenants.tenant(tenantRef);
    const languageSources = {
      chosen: chosenLocale(req),
      uiLocales: paramOf(interaction, 'ui_locales'),
      acceptLanguage: req.headers['accept-language'],
    };
    const page: InteractionPage = {
      interaction,
      uid: interaction.uid,
      clientId,
      tenantRef,
      tenant,
      branding: tenant.branding,
      clientName: client?.clientName ?? clientId,
      i18n: pageI18n(languageSources, (locale) => `${interactionUrl(interaction.uid)}?lang=${locale}`),
      languageSources,
    };
    const identified = this.identifiedUser(interaction);
    return identified ? this.pages.inUserLanguage(page, identified) : page;
  }

  /** Who this sign-in is known to be by now: past the password (MFA, password change) or at consent. */
  private identifiedUser(interaction: OidcInteraction): string | undefined {
    const pending = pendingOf(interaction);
    if (interaction.prompt.name === 'consent') return interaction.session?.accountId;
    return pending.pendingMfa?.userId ?? pending.pendingPasswordChange?.userId;
  }

  private forbidden(page: InteractionPage): RenderedPage {
    return noticePage(page, 403, 'errors.forbidden', 'csrf_mismatch');
  }
}
