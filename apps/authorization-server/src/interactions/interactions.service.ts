import { Inject, Injectable, Logger } from '@nestjs/common';
import { type IdentityInternalClient, IdentityInternalError } from '@platform/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationServerConfig } from '../config';
import { ClientTenants } from '../oidc/client-tenants';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { ResourceServers } from '../resource-servers/resource-servers';
import { AUTHZ_CONFIG, IDENTITY_CLIENT } from '../tokens';
import { SecurityEvents } from '../events/security-events';
import { SecurityEventTypes } from '@platform/contracts';
import { acrOf, unmetAcr } from '../oidc/acr';
import { describeAccess, requestedResources } from './access-request';
import { CsrfTokens } from './csrf';
import { DeviceCookies } from './device-cookies';
import { FederatedLogin } from './federated-login';
import { HostedTenants } from './hosted-tenants';
import type { InteractionProvider, InteractionResult, OidcInteraction } from './oidc-interaction';
import { type Branding, type PageI18n, pageI18n, type RenderedPage } from './pages/layout';
import {
  consentPage,
  errorPage,
  expiredPage,
  loginPage,
  mfaPage,
  passwordChangePage,
  unavailablePage,
} from './pages/pages';
import { chosenLocale, languageCookie } from './language-choice';

/** A page to send, or `null` when oidc-provider has already answered (a redirect back to /authorize). */
export type InteractionOutcome = RenderedPage | null;

type Form = Record<string, unknown>;

interface PageContext {
  interaction: OidcInteraction;
  tenantRef: string;
  branding: Branding;
  clientName: string;
  i18n: PageI18n;
}

/** The hosted sign-in steps of an authorization request: password, second factor, consent. */
@Injectable()
export class InteractionsService {
  private readonly logger = new Logger('Interactions');

  constructor(
    private readonly oidc: OidcProviderHolder,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly csrf: CsrfTokens,
    private readonly devices: DeviceCookies,
    private readonly tenants: HostedTenants,
    private readonly clientTenants: ClientTenants,
    private readonly federation: FederatedLogin,
    private readonly security: SecurityEvents,
    private readonly resourceServers: ResourceServers,
  ) {}

  private get provider(): InteractionProvider {
    return this.oidc.provider as unknown as InteractionProvider;
  }

  /** The page for the step the interaction is at. */
  async show(req: IncomingMessage, res: ServerResponse, recovery: boolean): Promise<InteractionOutcome> {
    const cookie = languageCookie(req);
    if (cookie) res.appendHeader('set-cookie', cookie);
    return this.within(req, res, async (page) => {
      const { interaction } = page;
      if (interaction.prompt.name === 'login') {
        if (interaction.result?.pendingPasswordChange) return this.passwordStep(page);
        return interaction.result?.pendingMfa ? this.mfaStep(page, recovery) : await this.loginStep(page);
      }
      if (interaction.prompt.name === 'consent') return await this.consentStep(page);
      return this.expired(page);
    });
  }

  async login(req: IncomingMessage, res: ServerResponse, form: Form, clientIp: string): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.checkCsrf(page, form)) return this.forbidden(page);
      if (page.interaction.prompt.name !== 'login') return this.expired(page);
      const login = typeof form.login === 'string' ? form.login.trim() : '';
      const password = typeof form.password === 'string' ? form.password : '';
      if (!login || !password) return this.loginStep(page, page.i18n.t('login.errors.missingFields'), 400);
      // Nothing that long exists: answered like any wrong credentials, without bothering the backend.
      if (login.length > MAX_LOGIN_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
        return this.loginFailure(
          req,
          page,
          new IdentityInternalError('invalid_credentials', 'too long'),
          login.slice(0, 320),
        );
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
          page.interaction.result = {
            pendingMfa: { userId, tenantId, methods: verified.mfaMethods, mustChangePassword },
          };
          await page.interaction.persist();
          return this.mfaStep(page, false);
        }
        if (verified.mfaRequired) {
          return this.refuse(
            page,
            403,
            page.i18n.t('mfa.enrollmentRequiredTitle'),
            page.i18n.t('mfa.enrollmentRequired'),
          );
        }
        return this.signedIn(req, res, page, { userId, tenantId, amr: verified.amr }, mustChangePassword);
      } catch (error) {
        return this.loginFailure(req, page, error, login);
      }
    });
  }

  async mfa(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.checkCsrf(page, form)) return this.forbidden(page);
      const pending = page.interaction.result?.pendingMfa;
      if (page.interaction.prompt.name !== 'login' || !pending) return this.expired(page);
      const method = form.method === 'recovery_code' ? 'recovery_code' : 'totp';
      const code = typeof form.code === 'string' ? form.code.replace(/\s+/g, '') : '';
      if (!code) return this.mfaStep(page, method === 'recovery_code', page.i18n.t('mfa.errors.missingCode'), 400);
      try {
        const { amr } = await this.identity.verifyMfa({
          tenantId: pending.tenantId,
          userId: pending.userId,
          method,
          code,
        });
        const { userId, tenantId, mustChangePassword } = pending;
        return this.signedIn(req, res, page, { userId, tenantId, amr }, mustChangePassword === true);
      } catch (error) {
        if (error instanceof IdentityInternalError && error.failure === 'invalid_mfa_code') {
          await this.loginFailed(req, page, 'invalid_mfa_code', pending.userId);
          return this.mfaStep(page, method === 'recovery_code', page.i18n.t('mfa.errors.invalidCode'), 401);
        }
        return this.loginFailure(req, page, error);
      }
    });
  }

  /** A temporary password is replaced before the sign-in completes (the current one is asked again, never stored). */
  async changePassword(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.checkCsrf(page, form)) return this.forbidden(page);
      const pending = page.interaction.result?.pendingPasswordChange;
      if (page.interaction.prompt.name !== 'login' || !pending) return this.expired(page);
      const [currentPassword, newPassword, confirmPassword] = ['currentPassword', 'newPassword', 'confirmPassword'].map(
        (field) => (typeof form[field] === 'string' ? (form[field] as string) : ''),
      );
      if (!currentPassword || !newPassword)
        return this.passwordStep(page, page.i18n.t('password.errors.missingFields'), 400);
      if (newPassword !== confirmPassword) return this.passwordStep(page, page.i18n.t('password.errors.mismatch'), 400);
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
            return this.passwordStep(page, page.i18n.t('password.errors.currentWrong'), 401);
          }
          if (error.failure === 'weak_password')
            return this.passwordStep(page, page.i18n.t('password.errors.weak'), 400);
          if (error.failure === 'password_reused') {
            return this.passwordStep(page, page.i18n.t('password.errors.reused'), 400);
          }
        }
        return this.loginFailure(req, page, error);
      }
      return this.signedIn(req, res, page, pending, false);
    });
  }

  async consent(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.checkCsrf(page, form)) return this.forbidden(page);
      const { interaction } = page;
      if (interaction.prompt.name !== 'consent' || !interaction.session) return this.expired(page);
      const { details } = interaction.prompt;
      const grant = interaction.grantId
        ? await this.provider.Grant.find(interaction.grantId)
        : new this.provider.Grant({ accountId: interaction.session.accountId, clientId: interaction.params.client_id });
      if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
      if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
      for (const [resource, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
        grant.addResourceScope(resource, scopes.join(' '));
      }
      const grantId = await grant.save();
      return this.finish(req, res, { consent: interaction.grantId ? {} : { grantId } }, true);
    });
  }

  async abort(req: IncomingMessage, res: ServerResponse, form: Form): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (!this.checkCsrf(page, form)) return this.forbidden(page);
      return this.finish(req, res, { error: 'access_denied', error_description: 'The user declined the request' });
    });
  }

  /** Loads the interaction bound to this browser, then runs a step; expired or foreign interactions get a page, not an error. */
  private async within(
    req: IncomingMessage,
    res: ServerResponse,
    step: (page: PageContext) => Promise<InteractionOutcome>,
  ): Promise<InteractionOutcome> {
    let interaction: OidcInteraction;
    try {
      interaction = await this.provider.interactionDetails(req, res);
    } catch {
      return expiredPage({
        i18n: pageI18n({ chosen: chosenLocale(req), acceptLanguage: req.headers['accept-language'] }),
      });
    }
    return step(await this.pageContext(interaction, req));
  }

  private async pageContext(interaction: OidcInteraction, req: IncomingMessage): Promise<PageContext> {
    const client = await this.provider.Client.find(interaction.params.client_id);
    const tenantRef =
      (await this.clientTenants.of(interaction.params.client_id)) ??
      interaction.params.tenant ??
      this.config.DEFAULT_LOGIN_TENANT;
    return {
      interaction,
      tenantRef,
      branding: await this.tenants.branding(tenantRef),
      clientName: client?.clientName ?? interaction.params.client_id,
      i18n: pageI18n(
        {
          chosen: chosenLocale(req),
          uiLocales: interaction.params.ui_locales,
          acceptLanguage: req.headers['accept-language'],
        },
        (locale) => `/interaction/${interaction.uid}?lang=${locale}`,
      ),
    };
  }

  private async loginStep(page: PageContext, error?: string, status = 200, loginHint?: string): Promise<RenderedPage> {
    const { interaction } = page;
    const providers = await this.federation.providers(page.tenantRef);
    return loginPage({
      ...page,
      status,
      error,
      action: `/interaction/${interaction.uid}/login`,
      csrf: this.csrf.issue(interaction.uid),
      loginHint: loginHint ?? interaction.params.login_hint,
      externalProviders: providers.map((p) => ({
        name: p.displayName,
        href: `/interaction/${interaction.uid}/federated/${encodeURIComponent(p.slug)}`,
      })),
    });
  }

  /** "Sign in with <IdP>": off to the upstream provider, with state, nonce and PKCE kept in the interaction. */
  async startFederation(req: IncomingMessage, res: ServerResponse, slug: string): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      if (page.interaction.prompt.name !== 'login') return this.expired(page);
      const provider = (await this.federation.providers(page.tenantRef)).find((p) => p.slug === slug);
      if (!provider) return this.loginStep(page, page.i18n.t('login.errors.optionUnavailable'), 404);
      try {
        const { url, pending } = await this.federation.start(provider, page.interaction.uid);
        page.interaction.result = { pendingFederation: pending };
        await page.interaction.persist();
        return redirectTo(url);
      } catch (error) {
        this.logger.warn(`upstream IdP ${provider.slug} unavailable: ${(error as Error).message}`);
        return this.loginStep(
          page,
          page.i18n.t('login.errors.providerUnreachable', { provider: provider.displayName }),
          503,
        );
      }
    });
  }

  /** Back from the upstream provider: redeem its code, then let the backend link or provision the local user. */
  async finishFederation(req: IncomingMessage, res: ServerResponse, query: string): Promise<InteractionOutcome> {
    return this.within(req, res, async (page) => {
      const pending = page.interaction.result?.pendingFederation;
      const params = new URLSearchParams(query);
      if (page.interaction.prompt.name !== 'login' || !pending || params.get('state') !== pending.state) {
        return this.expired(page);
      }
      if (params.has('error')) return this.loginStep(page, page.i18n.t('login.errors.federationCancelled'), 401);
      const provider = (await this.federation.providers(page.tenantRef)).find((p) => p.id === pending.providerId);
      if (!provider) return this.expired(page);
      let upstream: { subject: string; claims: Record<string, unknown> };
      try {
        upstream = await this.federation.finish(provider, pending, query);
      } catch (error) {
        this.logger.warn(`upstream sign-in with ${provider.slug} failed: ${(error as Error).message}`);
        await this.loginFailed(req, page, 'federation_failed');
        return this.loginStep(
          page,
          page.i18n.t('login.errors.federationFailed', { provider: provider.displayName }),
          401,
        );
      }
      try {
        const local = await this.identity.resolveExternalIdentity({
          tenantId: provider.tenantId,
          providerId: provider.id,
          subject: upstream.subject,
          claims: upstream.claims,
        });
        return this.signedIn(req, res, page, { userId: local.userId, tenantId: local.tenantId, amr: ['fed'] }, false);
      } catch (error) {
        if (error instanceof IdentityInternalError && ['no_linked_user', 'user_inactive'].includes(error.failure)) {
          return this.loginStep(page, page.i18n.t('login.errors.noLinkedAccount'), 403);
        }
        return this.loginFailure(req, page, error);
      }
    });
  }

  /** Completes the login, unless a temporary password must be replaced first. */
  private async signedIn(
    req: IncomingMessage,
    res: ServerResponse,
    page: PageContext,
    account: { userId: string; tenantId: string; amr: string[] },
    mustChangePassword: boolean,
  ): Promise<InteractionOutcome> {
    if (!mustChangePassword) {
      // OIDC Core §5.5.1.1: an essential acr this sign-in did not reach ends the request, back at the client.
      const acr = acrOf(account.amr);
      if (unmetAcr(page.interaction.params, acr)) {
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
          clientId: page.interaction.params.client_id,
          method: account.amr.includes('fed') ? 'federated' : 'password',
          amr: account.amr,
          ip: clientIpOf(req),
        },
      });
      res.appendHeader('set-cookie', this.devices.issue(account, this.devices.read(req)));
      return this.finish(req, res, { login: { accountId: account.userId, amr: account.amr, acr } });
    }
    page.interaction.result = { pendingPasswordChange: account };
    await page.interaction.persist();
    return this.passwordStep(page);
  }

  private passwordStep(page: PageContext, error?: string, status = 200): RenderedPage {
    const { uid } = page.interaction;
    return passwordChangePage({
      ...page,
      status,
      error,
      action: `/interaction/${uid}/password`,
      csrf: this.csrf.issue(uid),
    });
  }

  private mfaStep(page: PageContext, recoveryCode: boolean, error?: string, status = 200): RenderedPage {
    const { uid } = page.interaction;
    return mfaPage({
      ...page,
      status,
      error,
      recoveryCode,
      switchHref: `?${recoveryCode ? '' : 'recovery=1'}`,
      action: `/interaction/${uid}/mfa`,
      csrf: this.csrf.issue(uid),
    });
  }

  /** Names the client, each API asked for and what each scope being granted allows (DESIGN §7). */
  private async consentStep(page: PageContext): Promise<RenderedPage> {
    const { uid, prompt, params } = page.interaction;
    const missing = prompt.details.missingResourceScopes ?? {};
    const resources = Object.fromEntries(requestedResources(params.resource).map((r) => [r, missing[r] ?? []]));
    const access = await describeAccess((id) => this.resourceServers.find(id), prompt.details.missingOIDCScope ?? [], {
      ...resources,
      ...missing,
    });
    return consentPage({
      ...page,
      access,
      action: `/interaction/${uid}/consent`,
      abortAction: `/interaction/${uid}/abort`,
      csrf: this.csrf.issue(uid),
    });
  }

  private async loginFailure(
    req: IncomingMessage,
    page: PageContext,
    error: unknown,
    login?: string,
  ): Promise<RenderedPage> {
    if (
      error instanceof IdentityInternalError &&
      ['invalid_credentials', 'too_many_attempts', 'account_locked'].includes(error.failure)
    ) {
      await this.loginFailed(
        req,
        page,
        error.failure as 'invalid_credentials' | 'too_many_attempts' | 'account_locked',
      );
    }
    if (error instanceof IdentityInternalError) {
      if (error.failure === 'invalid_credentials')
        return this.loginStep(page, page.i18n.t('login.errors.invalidCredentials'), 401, login);
      if (error.failure === 'account_locked')
        return this.loginStep(page, page.i18n.t('login.errors.accountLocked'), 401, login);
      if (error.failure === 'too_many_attempts') {
        const page429 = await this.loginStep(page, page.i18n.t('login.errors.tooManyAttempts'), 429, login);
        if (error.retryAfterSeconds) page429.headers['retry-after'] = String(error.retryAfterSeconds);
        return page429;
      }
      if (error.failure === 'tenant_not_found' || error.failure === 'invalid_request') {
        return this.loginStep(page, page.i18n.t('login.errors.invalidCredentials'), 401, login);
      }
    }
    this.logger.warn(`sign-in step failed: ${(error as Error).message}`);
    return unavailablePage(page);
  }

  private async loginFailed(
    req: IncomingMessage,
    page: PageContext,
    reason: 'invalid_credentials' | 'too_many_attempts' | 'account_locked' | 'invalid_mfa_code' | 'federation_failed',
    userId: string | null = null,
  ): Promise<void> {
    const clientId = page.interaction.params.client_id;
    await this.security.record({
      type: SecurityEventTypes.loginFailed,
      subject: userId ?? clientId,
      tenantId: (await this.clientTenants.of(clientId)) ?? null,
      data: { clientId, userId, reason, ip: clientIpOf(req) },
    });
  }

  private async finish(
    req: IncomingMessage,
    res: ServerResponse,
    result: InteractionResult,
    mergeWithLastSubmission = false,
  ): Promise<null> {
    await this.provider.interactionFinished(req, res, result, { mergeWithLastSubmission });
    return null;
  }

  private checkCsrf(page: PageContext, form: Form): boolean {
    return this.csrf.verify(page.interaction.uid, form.csrf);
  }

  private refuse(page: PageContext, status: number, title: string, message: string): RenderedPage {
    return errorPage({ ...page, status, title, message });
  }

  private forbidden(page: PageContext): RenderedPage {
    const { t } = page.i18n;
    return errorPage({
      ...page,
      status: 403,
      title: t('errors.forbiddenTitle'),
      message: t('errors.forbidden'),
      code: 'csrf',
    });
  }

  private expired(page: PageContext): RenderedPage {
    return expiredPage(page);
  }
}

/** The end user's address as Express derives it (honouring TRUST_PROXY), else the socket's. */
const clientIpOf = (req: IncomingMessage): string =>
  ((req as { ip?: string }).ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64);

/** The identity backend's own limits on a login name and a password. */
const MAX_LOGIN_LENGTH = 320;
const MAX_PASSWORD_LENGTH = 1024;

/** A plain redirect, for hops that leave the hosted pages (to an upstream IdP). */
const redirectTo = (location: string): RenderedPage => ({
  status: 303,
  body: '',
  headers: { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
});
