import { htmlSecurityHeaders } from '@platform/runtime';
import { registerTemplate } from './pages/layout';
import { errorPage, noticePage, providerFormPage } from './pages/pages';
import { clientLabel, type PageContext, pageCommonOf, send } from './provider-context';
import { devicePages } from './steps/device.step';

/**
 * The hosted-page headers for the HTML oidc-provider writes itself (its auto-submitting form_post
 * page, e.g. GET /logout without a session): set before the provider runs, because it adds its
 * inline script's hash to a script-src it finds ('strict-dynamic' alone lets nothing else run).
 * The pages above replace them with their own; non-HTML answers leave without them.
 */
const PROVIDER_HTML_HEADERS = htmlSecurityHeaders({ scriptSrc: ["'strict-dynamic'"] });

interface HeaderContext {
  type: string;
  set(headers: Record<string, string>): void;
  remove(name: string): void;
}

export async function providerHtmlHeaders(ctx: HeaderContext, next: () => Promise<void>): Promise<void> {
  ctx.set(PROVIDER_HTML_HEADERS);
  await next();
  if (!ctx.type.startsWith('text/html')) for (const name of Object.keys(PROVIDER_HTML_HEADERS)) ctx.remove(name);
}

registerTemplate(
  '@provider/logout',
  `<p><%= it.t('logout.question', { client: it.client }) %></p>
<%~ it.form %>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout"><%= it.t('logout.yes') %></button>
<button class="secondary" type="submit" form="op.logoutForm"><%= it.t('logout.no') %></button>`,
);
/** oidc-provider's OAuth error codes that have a sentence for a person; others get the default one. */
const FRIENDLY_ERRORS = new Set([
  'invalid_client',
  'invalid_redirect_uri',
  'invalid_request',
  'invalid_scope',
  'invalid_target',
  'unauthorized_client',
  'unsupported_response_type',
  'access_denied',
  'login_required',
  'consent_required',
  'invalid_grant',
  'session_not_found',
  'request_not_supported',
  'invalid_request_uri',
  'invalid_request_object',
]);

/**
 * The pages oidc-provider renders itself (errors, logout, device flow), in the hosted-page
 * frame with its security headers, in the request's language. Its forms carry the provider's
 * own CSRF field.
 */
export const providerPages = {
  async renderError(ctx: PageContext, out: { error: string; error_description?: string }, error: Error) {
    const { i18n, branding } = await pageCommonOf(ctx);
    const status = (error as { status?: number }).status ?? 400;
    const code = FRIENDLY_ERRORS.has(out.error) ? out.error : 'default';
    send(
      ctx,
      errorPage({
        i18n,
        branding,
        status: status >= 400 ? status : 400,
        title: i18n.t(status >= 500 ? 'errors.serverTitle' : 'errors.requestTitle'),
        // A sentence for a person; the provider's code (never its description or a stack) small underneath for support.
        message: i18n.t(status >= 500 ? 'errors.server' : `errors.oauth.${code}`),
        code: out.error,
      }),
    );
  },

  async logoutSource(ctx: PageContext, form: string) {
    const { i18n, branding } = await pageCommonOf(ctx);
    send(
      ctx,
      providerFormPage({
        i18n,
        branding,
        title: i18n.t('logout.title'),
        content: '@provider/logout',
        form,
        data: { client: clientLabel(ctx, i18n) },
      }),
    );
  },

  async postLogoutSuccessSource(ctx: PageContext) {
    send(ctx, noticePage(await pageCommonOf(ctx), 200, 'logout.done'));
  },

  // The device flow's pages (RFC 8628): steps/device.step.ts.
  ...devicePages,
};
