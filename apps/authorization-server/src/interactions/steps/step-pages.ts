import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient } from '@platform/contracts';
import { PasswordPolicies } from '../../self-service/password-policies';
import { policyList, violationMessages } from '../../self-service/password-policy';
import { selfServiceHref } from '../../self-service/self-service-links';
import { selfServiceText } from '../../self-service/self-service.pages';
import { IDENTITY_CLIENT } from '../../tokens';
import { CsrfTokens } from '../csrf';
import { FederatedLogin } from '../federated-login';
import { httpsUrl } from '../pages/branding';
import { pageI18n, type RenderedPage } from '../pages/layout';
import { loginPage, mfaPage, noticePage, passwordChangePage } from '../pages/pages';
import { passkeyPrompt } from '../pages/passkey-pages';
import { rememberDevicePrompt } from '../pages/remember-device';
import { type InteractionPage, interactionUrl, paramOf, type PendingMfa, pendingOf } from './interaction-page';

/** Options of the login page beyond the interaction: an error, its status, what was typed. */
export interface LoginPageState {
  error?: string;
  status?: number;
  login?: string;
  /** The way out the error links to: the reset (locked account) or a new verification link (unverified email). */
  wayOut?: 'forgotPassword' | 'verifyEmail';
}

/** Renders the pages of the sign-in steps for an interaction (each step module answers with one of these). */
@Injectable()
export class StepPages {
  constructor(
    private readonly csrf: CsrfTokens,
    private readonly federation: FederatedLogin,
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    private readonly passwordPolicies: PasswordPolicies,
  ) {}

  /**
   * The password page, with the self-service links (tenant and way back into this sign-in) and the
   * tenant's IdPs. With a session already there (prompt=login), it says who is signed in, and
   * "Not you?" shows the page without that name or the login_hint.
   */
  async login(page: InteractionPage, state: LoginPageState = {}, switching = false): Promise<RenderedPage> {
    const { uid } = page;
    const [providers, passkey] = await Promise.all([
      this.federation.providers(page.tenantRef),
      passkeyPrompt(this.identity, {
        tenant: page.tenantRef,
        action: `${interactionUrl(uid)}/passkey`,
        i18n: page.i18n,
      }),
    ]);
    const links = { tenant: page.tenant.slug, interactionUid: uid };
    const signedInAs = switching ? undefined : await this.sessionAccount(page);
    const forgotPasswordHref = selfServiceHref('forgotPassword', links);
    const wayOut = state.wayOut && {
      href: selfServiceHref(state.wayOut, links),
      label: page.i18n.t(
        state.wayOut === 'verifyEmail' ? 'login.errors.resendVerification' : 'login.errors.resetPassword',
      ),
    };
    return loginPage({
      ...page,
      status: state.status,
      error: state.error,
      errorLink: wayOut,
      action: `${interactionUrl(uid)}/login`,
      csrf: this.csrf.issue(uid),
      loginHint: state.login ?? (switching ? undefined : paramOf(page.interaction, 'login_hint')),
      forgotPasswordHref,
      signUpHref: page.tenant.selfRegistration ? selfServiceHref('signUp', links) : undefined,
      signedInAs,
      notYouHref: signedInAs ? `${interactionUrl(uid)}?switch=1` : undefined,
      externalProviders: providers.map((p) => ({
        name: p.displayName,
        logoUrl: httpsUrl(p.logoUrl)?.href ?? null,
        href: `${interactionUrl(uid)}/federated/${encodeURIComponent(p.slug)}`,
      })),
      passkey,
    });
  }

  /** The second-factor page: the code form (TOTP or recovery code) and, for a user with passkeys, the passkey. */
  async mfa(page: InteractionPage, recoveryCode: boolean, error?: string, status = 200): Promise<RenderedPage> {
    const { uid } = page;
    const pending = pendingOf(page.interaction).pendingMfa;
    const passkey = pending?.methods.includes('passkey')
      ? await passkeyPrompt(this.identity, {
          tenant: pending.tenantId,
          userId: pending.userId,
          action: `${interactionUrl(uid)}/mfa`,
          i18n: page.i18n,
        })
      : undefined;
    return mfaPage({
      ...page,
      status,
      error,
      recoveryCode,
      action: `${interactionUrl(uid)}/mfa`,
      // Absolute: this page is also the answer to POST .../login, where a relative "?recovery=1" 404ed.
      switchHref: recoveryCode ? interactionUrl(uid) : `${interactionUrl(uid)}?recovery=1`,
      csrf: this.csrf.issue(uid),
      codes: recoveryCode || !pending || pending.methods.includes('totp'),
      passkey,
      remember: this.rememberPrompt(page, pending),
    });
  }

  /**
   * The refusal of an administrator without a passkey under passkeys: required-for-admins (403
   * passkey_required), after the right password or an upstream sign-in: said only once the first
   * factor was right.
   */
  passkeyRequired(page: InteractionPage): RenderedPage {
    return noticePage(page, 403, 'mfa.passkeyRequired', 'passkey_required');
  }

  /**
   * "Remember this device" only where the tenant lets a remembered browser skip this step, and not
   * before a temporary password's change (that sign-in is not remembered: mfa.step.ts).
   */
  private rememberPrompt(page: InteractionPage, pending: PendingMfa | undefined) {
    const { allowMfaBypass, days } = page.tenant.trustedDevices;
    return allowMfaBypass && !pending?.mustChangePassword ? rememberDevicePrompt(days, page.i18n) : undefined;
  }

  /**
   * The temporary-password page with the tenant's whole policy listed before submission; after a
   * refusal, one message per rule broken (`violations`, the backend's codes) and those rules marked.
   */
  async passwordChange(
    page: InteractionPage,
    error?: string,
    status = 200,
    violations: readonly string[] = [],
  ): Promise<RenderedPage> {
    const { uid } = page;
    const policy = await this.passwordPolicies.of(page.tenantRef);
    const s = selfServiceText(page.i18n);
    const perRule = violationMessages(violations, policy, s);
    return passwordChangePage({
      ...page,
      status,
      error: perRule.length ? perRule.join(' ') : error,
      action: `${interactionUrl(uid)}/password`,
      csrf: this.csrf.issue(uid),
      policy: policyList(policy, s, { field: 'newPassword', forChange: true, violations }),
    });
  }

  /**
   * The page in the language of the user signing in, once the password (or upstream sign-in) told
   * who it is (DESIGN §8: ui_locales → the user's locale → Accept-Language): the MFA, password-change
   * and consent pages of a German user are German without ui_locales. Unchanged when the backend
   * cannot say (the sign-in goes on in the browser's language).
   */
  async inUserLanguage(page: InteractionPage, userId: string): Promise<InteractionPage> {
    if (!page.languageSources) return page;
    let userLocale: unknown;
    try {
      userLocale = (await this.identity.userClaims(userId, ['openid', 'profile'])).locale;
    } catch {
      return page;
    }
    if (typeof userLocale !== 'string') return page;
    return { ...page, i18n: pageI18n({ ...page.languageSources, userLocale }, page.i18n.languageHref) };
  }

  /** The name of whoever this browser is signed in as (the email), when a new sign-in was asked for. */
  private async sessionAccount(page: InteractionPage): Promise<string | undefined> {
    const accountId = page.interaction.session?.accountId;
    if (!accountId) return undefined;
    try {
      const claims = await this.identity.userClaims(accountId, ['openid', 'email', 'profile']);
      const named = claims as { email?: unknown; preferred_username?: unknown; name?: unknown };
      const label = [named.email, named.preferred_username, named.name].find((v) => typeof v === 'string');
      return (label as string | undefined) ?? page.i18n.t('login.anotherAccount');
    } catch {
      return page.i18n.t('login.anotherAccount');
    }
  }
}
