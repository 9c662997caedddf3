import { Injectable, Logger } from '@nestjs/common';
import { ACCOUNT_PAGES, type AccountPage } from '@platform/contracts';
import type { Request } from 'express';
import { HostedTenants } from '../interactions/hosted-tenants';
import { chosenLocale, languageCookie } from '../interactions/language-choice';
import { type PageI18n, pageI18n, PLATFORM_BRANDING, type RenderedPage } from '../interactions/pages/layout';
import { SelfServiceClient, SelfServiceRefusal, type SelfServiceTenant } from './self-service.client';
import { SelfServiceCsrf } from './self-service-csrf';
import { FALLBACK_PASSWORD_POLICY as FALLBACK_POLICY } from './password-policies';
import { policyList, violationMessages, violationsOf } from './password-policy';
import {
  type FieldError,
  type FormField,
  formPage,
  messagePage,
  type PageLink,
  selfServiceText,
  type SelfServicePage,
} from './self-service.pages';

type Form = Record<string, unknown>;

const TENANT_REF = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** "Back to sign-in" may only lead into a sign-in in progress on this server (no open redirect). */
const INTERACTION_PATH = /^\/interaction\/[A-Za-z0-9_-]{1,128}$/;
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** A page that asks for an email address and sends mail to it. */
interface AddressFlow {
  action: string;
  title: string;
  intro: string;
  submit: string;
  doneTitle: string;
  done: (email: string) => string;
  send: (request: { tenant: string; email: string; clientIp: string }) => Promise<void>;
}

/** Where a page is, for whom (tenant), and where the person came from (a sign-in to return to). */
interface Visit {
  req: Request;
  tenant: string | null;
  returnTo: string | null;
  page: SelfServicePage;
  s: ReturnType<typeof selfServiceText>;
  csrf: string;
  setCookies: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The hosted self-service pages (sign-up, verify email, forgot/reset password, confirm an email
 * change): the pages the identity backend's emails link to. Server-rendered on the hosted
 * pages' template layer, localized and branded like the login, working without JavaScript.
 * Every form carries a CSRF token bound to a cookie of this browser.
 */
@Injectable()
export class SelfServiceService {
  private readonly logger = new Logger('SelfService');

  constructor(
    private readonly backend: SelfServiceClient,
    private readonly tenants: HostedTenants,
    private readonly csrf: SelfServiceCsrf,
  ) {}

  // ---- sign-up ---------------------------------------------------------------------------

  async signUp(req: Request, form?: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'signUp');
    const { s } = visit;
    const rules = visit.tenant ? await this.rules(visit.tenant) : null;
    if (!rules?.selfRegistration) {
      return this.finish(visit, 403, (page) =>
        messagePage(page, {
          title: s('signUp.unavailableTitle'),
          message: s('errors.registration_disabled'),
          links: [this.backLink(visit)],
        }),
      );
    }
    const email = text(form?.email).trim();
    const errors: FieldError[] = [];
    let violations: string[] = [];
    if (form) {
      if (!this.csrf.verify(req, form.csrf)) errors.push({ message: s('errors.csrf') });
      if (!EMAIL.test(email)) errors.push({ field: 'email', message: s('errors.email') });
      else if (!domainAllowed(email, rules.allowedEmailDomains)) {
        errors.push({ field: 'email', message: s('errors.email_domain_not_allowed', domainsOf(rules)) });
      }
      if (!text(form.password)) errors.push({ field: 'password', message: s('errors.password') });
      if (rules.termsUrl && form.terms !== 'yes') errors.push({ field: 'terms', message: s('errors.terms') });
      if (errors.length === 0) {
        const refusal = await this.attempt(() =>
          this.backend.register({
            tenant: visit.tenant!,
            email,
            password: text(form.password),
            clientIp: clientIpOf(req),
            locale: visit.page.i18n.locale,
          }),
        );
        if (!refusal) {
          return this.done(visit, 200, s('signUp.doneTitle'), s('signUp.done', { email }));
        }
        violations = violationsOf(refusal.code, refusal.details);
        errors.push(...this.refusalErrors(visit, refusal, rules));
      }
    }
    const tenantName = visit.page.branding.name;
    return this.finish(visit, errors.length ? 400 : 200, (page) =>
      formPage(page, {
        title: s('signUp.title'),
        intro: s('signUp.intro', { tenant: tenantName }),
        action: ACCOUNT_PAGES.signUp,
        csrf: visit.csrf,
        hidden: this.carried(visit),
        errors,
        fields: [
          emailField(s, email, rules.allowedEmailDomains.length ? s('signUp.domains', domainsOf(rules)) : undefined),
          {
            name: 'password',
            label: s('common.passwordLabel'),
            type: 'password',
            autocomplete: 'new-password',
            required: true,
            policy: policyList(rules.passwordPolicy, s, { field: 'password', forChange: false, violations }),
          },
          ...(rules.termsUrl
            ? [
                {
                  name: 'terms',
                  label: s('signUp.termsLabel'),
                  type: 'checkbox' as const,
                  required: true,
                  link: { href: rules.termsUrl, text: s('signUp.termsLink') },
                },
              ]
            : []),
        ],
        submit: s('signUp.submit'),
        links: [{ href: this.backLink(visit).href, text: `${s('signUp.haveAccount')} ${s('common.backToSignIn')}` }],
      }),
    );
  }

  // ---- verify email ----------------------------------------------------------------------

  async verifyEmail(req: Request, form?: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'verifyEmail');
    const { s } = visit;
    const token = text(form?.token ?? req.query.token);
    const errors: FieldError[] = [];
    if (form && TOKEN.test(token)) {
      const done = await this.confirm(visit, form, errors, () => this.backend.confirmEmail(token), {
        title: s('verifyEmail.doneTitle'),
        message: s('verifyEmail.done'),
      });
      if (done) return done;
    }
    if (!TOKEN.test(token) || errors.some((e) => !e.field && e.message === s('errors.invalid_email_token'))) {
      const problems = TOKEN.test(token) ? errors : [{ message: s('errors.invalid_email_token') }];
      return this.addressForm(visit, undefined, this.resendFlow(visit), problems);
    }
    // A GET never confirms: mail scanners open links, so a person presses the button.
    return this.tokenForm(visit, 'verifyEmail', token, errors);
  }

  async resendVerification(req: Request, form: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'verifyEmail');
    return this.addressForm(visit, form, this.resendFlow(visit));
  }

  private resendFlow(visit: Visit): AddressFlow {
    const { s } = visit;
    return {
      action: `${ACCOUNT_PAGES.verifyEmail}/resend`,
      title: s('verifyEmail.resendTitle'),
      intro: s('verifyEmail.resendIntro'),
      submit: s('verifyEmail.resendSubmit'),
      doneTitle: s('verifyEmail.resentTitle'),
      done: (email) => s('verifyEmail.resent', { email }),
      send: (request) => this.backend.requestVerification(request),
    };
  }

  // ---- forgot / reset password -----------------------------------------------------------

  async forgotPassword(req: Request, form?: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'forgotPassword');
    const { s } = visit;
    return this.addressForm(visit, form, {
      action: ACCOUNT_PAGES.forgotPassword,
      title: s('forgotPassword.title'),
      intro: s('forgotPassword.intro'),
      submit: s('forgotPassword.submit'),
      doneTitle: s('forgotPassword.doneTitle'),
      done: (email) => s('forgotPassword.done', { email }),
      send: (request) => this.backend.requestPasswordReset(request),
    });
  }

  /**
   * A form asking for an address (forgot password, a new verification link). Posted, it answers
   * "check your email" whether or not the address has an account, as the backend does.
   */
  private async addressForm(
    visit: Visit,
    form: Form | undefined,
    flow: AddressFlow,
    errors: FieldError[] = [],
  ): Promise<RenderedPage> {
    const { s, req } = visit;
    const email = text(form?.email).trim();
    if (form) {
      if (!this.csrf.verify(req, form.csrf)) errors.push({ message: s('errors.csrf') });
      if (!EMAIL.test(email)) errors.push({ field: 'email', message: s('errors.email') });
      if (errors.length === 0 && visit.tenant) {
        const refusal = await this.attempt(() =>
          flow.send({ tenant: visit.tenant!, email, clientIp: clientIpOf(req) }),
        );
        if (!refusal) {
          return this.done(visit, 202, flow.doneTitle, flow.done(email));
        }
        errors.push({ message: this.refusalMessage(visit, refusal) });
      }
    }
    return this.finish(visit, errors.length ? 400 : 200, (page) =>
      formPage(page, {
        title: flow.title,
        intro: flow.intro,
        action: flow.action,
        csrf: visit.csrf,
        hidden: this.carried(visit),
        errors,
        fields: [emailField(s, email)],
        submit: flow.submit,
        links: [this.backLink(visit)],
      }),
    );
  }

  async resetPassword(req: Request, form?: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'resetPassword');
    const { s } = visit;
    const token = text(form?.token ?? req.query.token);
    const inspected = TOKEN.test(token)
      ? await this.inspect(token)
      : new SelfServiceRefusal('invalid_email_token', 400);
    if (inspected instanceof SelfServiceRefusal) {
      return this.finish(visit, inspected.status, (page) =>
        messagePage(page, {
          title: s('resetPassword.invalidTitle'),
          errors: [{ message: this.refusalMessage(visit, inspected) }],
          links: [
            { href: this.href(visit, 'forgotPassword'), text: s('resetPassword.requestNew') },
            this.backLink(visit),
          ],
        }),
      );
    }
    const rules = visit.tenant ? await this.rules(visit.tenant) : null;
    const policy = rules?.passwordPolicy ?? FALLBACK_POLICY;
    const errors: FieldError[] = [];
    let violations: string[] = [];
    const recovery = form?.recovery === 'yes';
    if (form) {
      const newPassword = text(form.newPassword);
      const code = text(form.code).replace(/\s+/g, '');
      if (!this.csrf.verify(req, form.csrf)) errors.push({ message: s('errors.csrf') });
      if (!newPassword) errors.push({ field: 'newPassword', message: s('errors.password') });
      else if (newPassword !== text(form.confirmPassword)) {
        errors.push({ field: 'confirmPassword', message: s('errors.passwordMismatch') });
      }
      if (inspected.mfaRequired && !code) errors.push({ field: 'code', message: s('errors.mfa_required') });
      if (errors.length === 0) {
        const mfa = inspected.mfaRequired ? { method: recovery ? 'recovery_code' : 'totp', code } : undefined;
        const refusal = await this.attempt(() => this.backend.resetPassword({ token, newPassword, mfa }));
        if (!refusal) {
          return this.done(visit, 200, s('resetPassword.doneTitle'), s('resetPassword.done'));
        }
        violations = violationsOf(refusal.code, refusal.details);
        errors.push(...this.refusalErrors(visit, refusal, rules, 'newPassword'));
      }
    }
    return this.finish(visit, errors.length ? 400 : 200, (page) =>
      formPage(page, {
        title: s('resetPassword.title'),
        intro: s('resetPassword.intro'),
        action: ACCOUNT_PAGES.resetPassword,
        csrf: visit.csrf,
        hidden: { ...this.carried(visit), token },
        errors,
        fields: [
          {
            name: 'newPassword',
            label: s('common.newPasswordLabel'),
            type: 'password',
            autocomplete: 'new-password',
            required: true,
            policy: policyList(policy, s, { field: 'newPassword', forChange: true, violations }),
          },
          {
            name: 'confirmPassword',
            label: s('common.confirmPasswordLabel'),
            type: 'password',
            autocomplete: 'new-password',
            required: true,
          },
          ...(inspected.mfaRequired
            ? [
                {
                  name: 'code',
                  label: s('resetPassword.mfaLabel'),
                  type: 'text' as const,
                  autocomplete: 'one-time-code',
                  inputmode: 'numeric',
                  required: true,
                  hint: s('resetPassword.mfaHint'),
                },
                { name: 'recovery', label: s('resetPassword.recoveryLabel'), type: 'checkbox' as const },
              ]
            : []),
        ],
        submit: s('resetPassword.submit'),
        links: [this.backLink(visit)],
      }),
    );
  }

  // ---- confirm an email change -----------------------------------------------------------

  async confirmEmailChange(req: Request, form?: Form): Promise<RenderedPage> {
    const visit = await this.visit(req, form, 'confirmEmailChange');
    const { s } = visit;
    const token = text(form?.token ?? req.query.token);
    const errors: FieldError[] = [];
    if (!TOKEN.test(token)) errors.push({ message: s('errors.invalid_email_token') });
    else if (form) {
      const done = await this.confirm(visit, form, errors, () => this.backend.confirmEmailChange(token), {
        title: s('confirmEmailChange.doneTitle'),
        message: s('confirmEmailChange.done'),
      });
      if (done) return done;
    }
    if (errors.length && !form) {
      return this.finish(visit, 400, (page) =>
        messagePage(page, { title: s('confirmEmailChange.title'), errors, links: [this.backLink(visit)] }),
      );
    }
    return this.tokenForm(visit, 'confirmEmailChange', token, errors);
  }

  // ---- shared ----------------------------------------------------------------------------

  private async visit(req: Request, form: Form | undefined, page: AccountPage): Promise<Visit> {
    const source = form ?? (req.query as Form);
    const tenantRef = text(source.tenant).toLowerCase();
    const tenant = TENANT_REF.test(tenantRef) ? tenantRef : null;
    const returnPath = text(source.return);
    const returnTo = INTERACTION_PATH.test(returnPath) ? returnPath : null;
    const binding = this.csrf.binding(req);
    const visitBase = { tenant, returnTo };
    const i18n: PageI18n = pageI18n(
      { chosen: chosenLocale(req), acceptLanguage: req.headers['accept-language'] },
      (locale) => this.href({ ...visitBase, token: text(source.token) }, page, { lang: locale }),
    );
    const branding = tenant ? await this.tenants.branding(tenant) : PLATFORM_BRANDING;
    const setCookies = [binding.setCookie, languageCookie(req)].filter((c): c is string => Boolean(c));
    return {
      req,
      tenant,
      returnTo,
      page: { branding, i18n },
      s: selfServiceText(i18n),
      csrf: this.csrf.issue(binding.value),
      setCookies,
    };
  }

  /** The page a completed action ends on: what happened, and the way back. */
  private done(visit: Visit, status: number, title: string, message: string): RenderedPage {
    return this.finish(visit, status, (page) =>
      messagePage(page, { title, message, success: true, links: [this.backLink(visit)] }),
    );
  }

  /**
   * A posted emailed-link confirmation: the CSRF check, then the backend call. The done page, or
   * null with the failure added to `errors` (the CSRF check, the backend's refusal).
   */
  private async confirm(
    visit: Visit,
    form: Form,
    errors: FieldError[],
    call: () => Promise<unknown>,
    done: { title: string; message: string },
  ): Promise<RenderedPage | null> {
    if (!this.csrf.verify(visit.req, form.csrf)) {
      errors.push({ message: visit.s('errors.csrf') });
      return null;
    }
    const refusal = await this.attempt(call);
    if (!refusal) return this.done(visit, 200, done.title, done.message);
    errors.push({ message: this.refusalMessage(visit, refusal) });
    return null;
  }

  /** The one-button form of an emailed link (a GET never acts: mail scanners open links). */
  private tokenForm(
    visit: Visit,
    key: 'verifyEmail' | 'confirmEmailChange',
    token: string,
    errors: FieldError[],
  ): RenderedPage {
    const { s } = visit;
    return this.finish(visit, errors.length ? 400 : 200, (page) =>
      formPage(page, {
        title: s(`${key}.title`),
        intro: s(`${key}.intro`),
        action: ACCOUNT_PAGES[key],
        csrf: visit.csrf,
        hidden: { ...this.carried(visit), token },
        errors,
        fields: [],
        submit: s(`${key}.submit`),
        links: [this.backLink(visit)],
      }),
    );
  }

  /** Renders with the visit's frame and status, adding its cookies (CSRF binding, language choice). */
  private finish(visit: Visit, status: number, render: (page: SelfServicePage) => RenderedPage): RenderedPage {
    const rendered = render({ ...visit.page, status });
    if (visit.setCookies.length) rendered.headers['set-cookie'] = visit.setCookies.join('\n');
    return rendered;
  }

  private carried(visit: Pick<Visit, 'tenant' | 'returnTo'>): Record<string, string> {
    return {
      ...(visit.tenant ? { tenant: visit.tenant } : {}),
      ...(visit.returnTo ? { return: visit.returnTo } : {}),
    };
  }

  private href(
    visit: Pick<Visit, 'tenant' | 'returnTo'> & { token?: string },
    page: AccountPage,
    extra: Record<string, string> = {},
  ): string {
    const query = new URLSearchParams({
      ...(visit.token && TOKEN.test(visit.token) ? { token: visit.token } : {}),
      ...this.carried(visit),
      ...extra,
    }).toString();
    return `${ACCOUNT_PAGES[page]}${query ? `?${query}` : ''}`;
  }

  /** Into the sign-in in progress when there is one, else the account console (which starts one). */
  private backLink(visit: Visit): PageLink {
    return { href: visit.returnTo ?? ACCOUNT_PAGES.console, text: visit.s('common.backToSignIn') };
  }

  private async rules(tenant: string): Promise<SelfServiceTenant | null> {
    try {
      return await this.backend.tenant(tenant);
    } catch {
      return null;
    }
  }

  private async inspect(token: string): Promise<{ mfaRequired: boolean } | SelfServiceRefusal> {
    try {
      return await this.backend.inspectReset(token);
    } catch (error) {
      if (error instanceof SelfServiceRefusal) return error;
      throw error;
    }
  }

  /** Runs a backend call; its refusal (or outage) comes back as a value for the page to show. */
  private async attempt(call: () => Promise<unknown>): Promise<SelfServiceRefusal | null> {
    try {
      await call();
      return null;
    } catch (error) {
      if (error instanceof SelfServiceRefusal) {
        if (error.code === 'unavailable') this.logger.warn('identity backend unavailable for a self-service page');
        return error;
      }
      throw error;
    }
  }

  private refusalMessage(visit: Visit, refusal: SelfServiceRefusal, rules?: SelfServiceTenant | null): string {
    const { s } = visit;
    const known = [
      'weak_password',
      'password_reused',
      'email_domain_not_allowed',
      'registration_disabled',
      'too_many_requests',
      'invalid_email_token',
      'invalid_mfa_code',
      'mfa_required',
      'email_taken',
    ];
    if (!known.includes(refusal.code)) return s('errors.unavailable');
    return s(`errors.${refusal.code}`, {
      minLength: rules?.passwordPolicy.minLength ?? 8,
      ...(rules ? domainsOf(rules) : { domains: '' }),
    });
  }

  /** A refusal as form errors: one per password rule it broke, else one on the field it is about. */
  private refusalErrors(
    visit: Visit,
    refusal: SelfServiceRefusal,
    rules: SelfServiceTenant | null,
    passwordField = 'password',
  ): FieldError[] {
    const violations = violationsOf(refusal.code, refusal.details);
    const messages = violationMessages(violations, rules?.passwordPolicy ?? FALLBACK_POLICY, visit.s);
    if (messages.length) return messages.map((message) => ({ field: passwordField, message }));
    return [this.refusalError(visit, refusal, rules, passwordField)];
  }

  /** A refusal as a form error, attached to the field it is about. */
  private refusalError(
    visit: Visit,
    refusal: SelfServiceRefusal,
    rules: SelfServiceTenant | null,
    passwordField = 'password',
  ): FieldError {
    const fields: Record<string, string> = {
      weak_password: passwordField,
      password_reused: passwordField,
      email_domain_not_allowed: 'email',
      invalid_mfa_code: 'code',
      mfa_required: 'code',
    };
    return { field: fields[refusal.code], message: this.refusalMessage(visit, refusal, rules) };
  }
}

function domainAllowed(email: string, allowed: string[]): boolean {
  return allowed.length === 0 || allowed.includes(email.slice(email.lastIndexOf('@') + 1).toLowerCase());
}

/** The address field of sign-up and of the forms that mail a link. */
const emailField = (s: Visit['s'], value: string, hint?: string): FormField => ({
  name: 'email',
  label: s('common.emailLabel'),
  type: 'email',
  autocomplete: 'email',
  value,
  required: true,
  hint,
});

const domainsOf = (rules: SelfServiceTenant) => ({ domains: rules.allowedEmailDomains.join(', ') });

/** The end user's address as Express derives it (honouring TRUST_PROXY), else the socket's. */
const clientIpOf = (req: Request): string => (req.ip ?? req.socket.remoteAddress ?? 'unknown').slice(0, 64);
