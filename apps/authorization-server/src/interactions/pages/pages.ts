import type { AccessRequest } from '../access-request';
import type { PolicyList } from '../../self-service/password-policy';
import { ENGLISH, type PageOptions, registerTemplate, renderPage, type RenderedPage, SafeHtml } from './layout';
import './passkey-pages'; // registers the passkey templates and strings
import './remember-device'; // registers the "remember this device" partial and strings
import type { PasskeyPrompt } from './passkey-pages';
import { PASSKEY_SCRIPT_PATH } from './passkey-script';
import type { RememberDevicePrompt } from './remember-device';

/** What every page function takes besides its own data: the tenant's branding, the language, a status. */
export type Common = Pick<PageOptions, 'branding' | 'i18n'> & { status?: number };

const t = (options: Common) => (options.i18n ?? ENGLISH).t;

/** A sign-in page that may offer a passkey (passkey-pages.ts): it then loads the passkey script. */
const pageOfferingPasskey = (template: string, titleKey: string, options: Common & { passkey?: PasskeyPrompt }) =>
  renderPage(template, options, {
    title: t(options)(titleKey),
    ...options,
    script: options.passkey ? PASSKEY_SCRIPT_PATH : undefined,
  });

registerTemplate(
  '@login',
  `<h1><%= it.t('login.title') %></h1>
<p class="muted"><%= it.t('login.subtitle', { client: it.clientName }) %></p>
<%~ include('@alert', { message: it.error, link: it.errorLink }) %>
<% if (it.signedInAs) { %><p class="info"><%= it.t('login.signedInAs', { account: it.signedInAs }) %><% if (it.notYouHref) { %> · <a href="<%= it.notYouHref %>"><%= it.t('login.notYou') %></a><% } %></p><% } %>
<form method="post" action="<%= it.action %>" novalidate>
<%~ include('@csrf', { token: it.csrf }) %>
<label for="login"><%= it.t('login.loginLabel') %></label>
<input id="login" name="login" type="text" autocomplete="username<% if (it.passkey) { %> webauthn<% } %>" autocapitalize="none" spellcheck="false" required<% if (!it.error) { %> autofocus<% } %> value="<%= it.loginHint || '' %>"<% if (it.error) { %> aria-invalid="true" aria-describedby="form-error"<% } %>>
<label for="password"><%= it.t('login.passwordLabel') %></label>
<input id="password" name="password" type="password" autocomplete="current-password" required<% if (it.error) { %> aria-invalid="true" aria-describedby="form-error"<% } %>>
<button type="submit"><%= it.t('login.submit') %></button>
</form>
<%~ include('@passkey/login', it) %>
<% if (it.forgotPasswordHref || it.signUpHref) { %><div class="row">
<% if (it.forgotPasswordHref) { %><a href="<%= it.forgotPasswordHref %>"><%= it.t('login.forgotPassword') %></a><% } %>
<% if (it.signUpHref) { %><span><%= it.t('login.noAccount') %> <a href="<%= it.signUpHref %>"><%= it.t('login.createAccount') %></a></span><% } %>
</div><% } %>
<% if (it.externalProviders.length) { %><p class="divider"><%= it.t('login.or') %></p>
<% it.externalProviders.forEach(function (p) { %><a class="button secondary" href="<%= p.href %>"><% if (p.logoUrl) { %><img src="<%= p.logoUrl %>" alt=""><% } %><%= it.t('login.signInWith', { provider: p.name }) %></a>
<% }) %><% } %>`,
);

export interface ExternalProviderButton {
  name: string;
  href: string;
  logoUrl?: string | null;
}

export function loginPage(
  options: Common & {
    action: string;
    csrf: string;
    clientName: string;
    loginHint?: string;
    error?: string;
    /** A way out after the error (the locked account's reset link). */
    errorLink?: { href: string; label: string };
    externalProviders: ExternalProviderButton[];
    forgotPasswordHref?: string;
    signUpHref?: string;
    /** Someone is already signed in (prompt=login): who, so the person sees they are switching. */
    signedInAs?: string;
    /** Shows the page again for someone else (without the name above or the login_hint). */
    notYouHref?: string;
    /** "Sign in with a passkey" and conditional UI (passkey-pages.ts); the page then loads the passkey script. */
    passkey?: PasskeyPrompt;
  },
): RenderedPage {
  return pageOfferingPasskey('@login', 'login.title', options);
}

registerTemplate(
  '@mfa',
  `<h1><%= it.t('mfa.title') %></h1>
<%~ include('@alert', { message: it.error }) %>
<% if (it.codes !== false) { %><form method="post" action="<%= it.action %>">
<%~ include('@csrf', { token: it.csrf }) %>
<input type="hidden" name="method" value="<%= it.recoveryCode ? 'recovery_code' : 'totp' %>">
<label for="code"><%= it.t(it.recoveryCode ? 'mfa.recoveryLabel' : 'mfa.totpLabel') %></label>
<input id="code" name="code" type="text"<% if (!it.recoveryCode) { %> inputmode="numeric" pattern="[0-9]*"<% } %> autocomplete="one-time-code" required autofocus<% if (it.error) { %> aria-invalid="true" aria-describedby="form-error"<% } %>>
<% if (it.remember) { %><%~ include('@remember-device', it.remember) %><% } %>
<button type="submit"><%= it.t('mfa.submit') %></button>
</form>
<p class="muted"><a href="<%= it.switchHref %>"><%= it.t(it.recoveryCode ? 'mfa.useAuthenticator' : 'mfa.useRecoveryCode') %></a></p><% } %>
<%~ include('@passkey/mfa', { ...it, codes: it.codes !== false }) %>`,
);

export function mfaPage(
  options: Common & {
    action: string;
    csrf: string;
    error?: string;
    recoveryCode?: boolean;
    /** The page itself with the other method, as an absolute path (the page may have been POSTed to). */
    switchHref: string;
    /** false: the user has no authenticator app (nor recovery codes), only a passkey. */
    codes?: boolean;
    /** The passkey as the second factor (passkey-pages.ts); the page then loads the passkey script. */
    passkey?: PasskeyPrompt;
    /** "Remember this device for N days" (remember-device.ts), when the tenant lets a trusted browser skip this step. */
    remember?: RememberDevicePrompt;
  },
): RenderedPage {
  return pageOfferingPasskey('@mfa', 'mfa.title', options);
}

registerTemplate(
  '@password-change',
  `<h1><%= it.t('password.title') %></h1>
<p class="muted"><%= it.t('password.intro') %></p>
<%~ include('@alert', { message: it.error }) %>
<form method="post" action="<%= it.action %>">
<%~ include('@csrf', { token: it.csrf }) %>
<label for="currentPassword"><%= it.t('password.currentLabel') %></label>
<input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required autofocus>
<label for="newPassword"><%= it.t('password.newLabel') %></label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required<% if (it.policy) { %> minlength="<%= it.policy.minLength %>" maxlength="<%= it.policy.maxLength %>"<% } %><% if (it.error) { %> aria-invalid="true"<% } %><% if (it.error || it.policy) { %> aria-describedby="<%= [it.error ? 'form-error' : '', it.policy ? it.policy.id : ''].filter(Boolean).join(' ') %>"<% } %>>
<% if (it.policy) { %><%~ include('@password-policy', it.policy) %><% } %>
<label for="confirmPassword"><%= it.t('password.confirmLabel') %></label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required>
<button type="submit"><%= it.t('password.submit') %></button>
</form>`,
);

export function passwordChangePage(
  options: Common & {
    action: string;
    csrf: string;
    error?: string;
    /** The tenant's password policy as a list (self-service/password-policy.ts, which registers its partial). */
    policy?: PolicyList;
  },
): RenderedPage {
  return renderPage('@password-change', options, { title: t(options)('password.title'), ...options });
}

/** What is being granted: the sign-in scopes, then each API by name with each of its scopes (DESIGN §7). */
registerTemplate(
  '@access-list',
  `<% if (it.access.account.length) { %><ul class="scopes">
<% it.access.account.forEach(function (line) { %><li><%= it.t('scopes.' + line.scope, { defaultValue: line.description }) %></li><% }) %>
</ul><% } %>
<% it.access.apis.forEach(function (api) { %><h2><%= api.name %></h2>
<p class="muted"><%= api.identifier %></p>
<% if (api.scopes.length) { %><ul class="scopes"><% api.scopes.forEach(function (line) { %><li><%= line.description %></li><% }) %></ul>
<% } else { %><p class="muted"><%= it.t('consent.identityOnly') %></p><% } %>
<% }) %>`,
);

registerTemplate(
  '@consent',
  `<h1><%= it.t('consent.title') %></h1>
<p><strong><%= it.clientName %></strong> <%= it.t('consent.asks') %></p>
<%~ include('@access-list', it) %>
<form method="post" action="<%= it.action %>">
<%~ include('@csrf', { token: it.csrf }) %>
<button type="submit"><%= it.t('consent.allow') %></button>
</form>
<form method="post" action="<%= it.abortAction %>">
<%~ include('@csrf', { token: it.csrf }) %>
<button type="submit" class="secondary"><%= it.t('consent.deny') %></button>
</form>`,
);

export function consentPage(
  options: Common & {
    action: string;
    abortAction: string;
    csrf: string;
    clientName: string;
    access: AccessRequest;
  },
): RenderedPage {
  return renderPage('@consent', options, { title: t(options)('consent.title'), ...options });
}

registerTemplate(
  '@message',
  `<h1><%= it.title %></h1>
<p><%= it.message %></p>
<% if (it.link) { %><p><a href="<%= it.link.href %>"><%= it.link.label %></a></p><% } %>
<% if (it.code) { %><p class="technical"><%= it.t('common.technicalCode', { code: it.code }) %></p><% } %>`,
);

/** A page that only says something: an error (with its technical code small underneath) or a notice. */
export function errorPage(
  options: Common & {
    title: string;
    message: string;
    status: number;
    code?: string;
    link?: { href: string; label: string };
  },
): RenderedPage {
  return renderPage('@message', options, options);
}

/**
 * A message page from the catalogue: `<key>Title` its title and `<key>` its sentence, in the page's
 * language, with the technical code (if any) underneath.
 */
export const noticePage = (options: Common, status: number, key: string, code?: string) =>
  errorPage({ ...options, status, title: t(options)(`${key}Title`), message: t(options)(key), code });

export const unavailablePage = (options: Common = {}) =>
  noticePage(options, 503, 'errors.unavailable', 'temporarily_unavailable');

export const expiredPage = (options: Common = {}) => noticePage(options, 400, 'errors.expired', 'interaction_expired');

registerTemplate(
  '@provider-form',
  `<h1><%= it.title %></h1>
<%~ include('@alert', { message: it.error }) %>
<%~ include(it.content, it) %>`,
);

/**
 * oidc-provider's own forms (device flow, logout) carry its CSRF field already; they are wrapped,
 * not rebuilt: `content` is a registered template that prints `it.form` raw and adds the buttons.
 */
export function providerFormPage(
  options: Common & { title: string; content: string; form: string; error?: string; data?: object },
): RenderedPage {
  return renderPage('@provider-form', { ...options.data, ...options, form: new SafeHtml(options.form) }, options);
}
