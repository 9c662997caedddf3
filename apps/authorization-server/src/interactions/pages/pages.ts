import type { AccessRequest } from '../access-request';
import { csrfField, html, type PageOptions, renderPage, type RenderedPage, SafeHtml } from './layout';

type Common = Pick<PageOptions, 'branding'> & { status?: number };

const alert = (message?: string) => (message ? html`<p class="alert" role="alert">${message}</p>` : '');

export function loginPage(
  options: Common & {
    action: string;
    csrf: string;
    clientName: string;
    loginHint?: string;
    error?: string;
    externalProviders: { name: string; href: string }[];
  },
): RenderedPage {
  const providers = options.externalProviders.map(
    (p) => html`<p><a class="button secondary" href="${p.href}">Sign in with ${p.name}</a></p>`,
  );
  return renderPage(
    html`<h1>Sign in</h1>
      <p class="muted">to continue to ${options.clientName}</p>
      ${alert(options.error)}
      <form method="post" action="${options.action}" novalidate>
        ${csrfField(options.csrf)}
        <label for="login">Email or username</label>
        <input
          id="login"
          name="login"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          autofocus
          value="${options.loginHint ?? ''}"
        />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>
      ${providers}`,
    { title: 'Sign in', ...options },
  );
}

export function mfaPage(
  options: Common & { action: string; csrf: string; error?: string; recoveryCode?: boolean },
): RenderedPage {
  const label = options.recoveryCode ? 'Recovery code' : 'Code from your authenticator app';
  return renderPage(
    html`<h1>Two-step verification</h1>
      ${alert(options.error)}
      <form method="post" action="${options.action}">
        ${csrfField(options.csrf)}
        <input type="hidden" name="method" value="${options.recoveryCode ? 'recovery_code' : 'totp'}" />
        <label for="code">${label}</label>
        <input
          id="code"
          name="code"
          type="text"
          ${options.recoveryCode ? '' : new SafeHtml('inputmode="numeric" pattern="[0-9]*"')}
          autocomplete="one-time-code"
          required
          autofocus
        />
        <button type="submit">Verify</button>
      </form>
      <p class="muted">
        <a href="?${options.recoveryCode ? '' : 'recovery=1'}"
          >${options.recoveryCode ? 'Use your authenticator app instead' : 'Use a recovery code instead'}</a
        >
      </p>`,
    { title: 'Two-step verification', ...options },
  );
}

export function passwordChangePage(options: Common & { action: string; csrf: string; error?: string }): RenderedPage {
  return renderPage(
    html`<h1>Choose a new password</h1>
      <p class="muted">Your password was set by an administrator or has to be replaced before you continue.</p>
      ${alert(options.error)}
      <form method="post" action="${options.action}">
        ${csrfField(options.csrf)}
        <label for="currentPassword">Current password</label>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <label for="newPassword">New password</label>
        <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required />
        <label for="confirmPassword">New password again</label>
        <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required />
        <button type="submit">Change password and continue</button>
      </form>`,
    { title: 'Choose a new password', ...options },
  );
}

/** What is being granted: the sign-in scopes, then each API by name with each of its scopes (DESIGN §7). */
export function accessList(access: AccessRequest): SafeHtml {
  const scopeList = (lines: AccessRequest['account']) =>
    html`<ul class="scopes">
      ${lines.map((line) => html`<li>${line.description}</li>`)}
    </ul>`;
  return html`${access.account.length ? scopeList(access.account) : ''}
  ${access.apis.map(
    (api) =>
      html`<h2>${api.name}</h2>
        <p class="muted">${api.identifier}</p>
        ${
          api.scopes.length
            ? scopeList(api.scopes)
            : html`<p class="muted">Learn who you are (no access to your data in it is asked for)</p>`
        }`,
  )}`;
}

export function consentPage(
  options: Common & {
    action: string;
    abortAction: string;
    csrf: string;
    clientName: string;
    access: AccessRequest;
  },
): RenderedPage {
  return renderPage(
    html`<h1>Allow access?</h1>
      <p><strong>${options.clientName}</strong> asks to:</p>
      ${accessList(options.access)}
      <form method="post" action="${options.action}">
        ${csrfField(options.csrf)}
        <button type="submit">Allow</button>
      </form>
      <form method="post" action="${options.abortAction}">
        ${csrfField(options.csrf)}
        <button type="submit" class="secondary">Deny</button>
      </form>`,
    { title: 'Allow access', ...options },
  );
}

export function errorPage(options: Common & { title: string; message: string; status: number }): RenderedPage {
  return renderPage(
    html`<h1>${options.title}</h1>
      <p>${options.message}</p>`,
    options,
  );
}

export const unavailablePage = (options: Common = {}) =>
  errorPage({
    ...options,
    status: 503,
    title: 'Temporarily unavailable',
    message: 'Signing in is temporarily unavailable. Please try again in a few minutes.',
  });

/** oidc-provider's own forms (device flow, logout) carry its CSRF field already; they are wrapped, not rebuilt. */
export function providerFormPage(
  options: Common & { title: string; intro: SafeHtml; form: string; buttons: SafeHtml; error?: string },
): RenderedPage {
  return renderPage(
    html`<h1>${options.title}</h1>
      ${alert(options.error)} ${options.intro} ${new SafeHtml(options.form)} ${options.buttons}`,
    options,
  );
}
