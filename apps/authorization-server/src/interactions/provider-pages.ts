import { describeDeviceRequest, type FindResourceServer } from './access-request';
import { htmlSecurityHeaders } from '@platform/runtime';
import { pageI18n, registerTemplate, type PageI18n, type RenderedPage } from './pages/layout';
import { errorPage, providerFormPage } from './pages/pages';

/** The slice of a koa context these renderers touch. */
interface PageContext {
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
  get?(header: string): string;
  oidc?: {
    client?: { clientName?: string; clientId: string };
    params?: { ui_locales?: unknown };
    /** The device flow's pending request (RFC 8628 §3.1 parameters), on the confirmation page. */
    entities?: { DeviceCode?: { params?: { scope?: unknown; resource?: unknown; ui_locales?: unknown } } };
  };
}

function send(ctx: PageContext, page: RenderedPage): void {
  ctx.status = page.status;
  ctx.set(page.headers);
  ctx.body = page.body;
}

/** The language of a provider-rendered page: the request's ui_locales, else the browser's. */
function i18nOf(ctx: PageContext): PageI18n {
  const uiLocales = ctx.oidc?.params?.ui_locales ?? ctx.oidc?.entities?.DeviceCode?.params?.ui_locales;
  return pageI18n({
    uiLocales: typeof uiLocales === 'string' ? uiLocales : null,
    acceptLanguage: ctx.get?.('accept-language') ?? null,
  });
}

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

const clientLabel = (ctx: PageContext, i18n: PageI18n) =>
  ctx.oidc?.client?.clientName ?? ctx.oidc?.client?.clientId ?? i18n.t('common.theApplication');

registerTemplate(
  '@provider/logout',
  `<p><%= it.t('logout.question', { client: it.client }) %></p>
<%~ it.form %>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout"><%= it.t('logout.yes') %></button>
<button class="secondary" type="submit" form="op.logoutForm"><%= it.t('logout.no') %></button>`,
);
registerTemplate(
  '@provider/device-input',
  `<p><%= it.t('device.inputIntro') %></p>
<%~ it.form %>
<button type="submit" form="op.deviceInputForm"><%= it.t('device.continue') %></button>`,
);
registerTemplate(
  '@provider/device-confirm',
  `<p><strong><%= it.client %></strong> <%= it.t('device.confirmIntro') %></p>
<p class="code"><%= it.userCode %></p>
<p><%= it.t('device.allows') %></p>
<%~ include('@access-list', it) %>
<p class="muted"><%= it.t('device.warning') %></p>
<%~ it.form %>
<button autofocus type="submit" form="op.deviceConfirmForm"><%= it.t('device.continue') %></button>
<button class="secondary" type="submit" form="op.deviceConfirmForm" value="yes" name="abort"><%= it.t('device.cancel') %></button>`,
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
    const i18n = i18nOf(ctx);
    const status = (error as { status?: number }).status ?? 400;
    const code = FRIENDLY_ERRORS.has(out.error) ? out.error : 'default';
    send(
      ctx,
      errorPage({
        i18n,
        status: status >= 400 ? status : 400,
        title: i18n.t(status >= 500 ? 'errors.serverTitle' : 'errors.requestTitle'),
        // A sentence for a person; the provider's code (never its description or a stack) small underneath for support.
        message: i18n.t(status >= 500 ? 'errors.server' : `errors.oauth.${code}`),
        code: out.error,
      }),
    );
  },

  async logoutSource(ctx: PageContext, form: string) {
    const i18n = i18nOf(ctx);
    send(
      ctx,
      providerFormPage({
        i18n,
        title: i18n.t('logout.title'),
        content: '@provider/logout',
        form,
        data: { client: clientLabel(ctx, i18n) },
      }),
    );
  },

  async postLogoutSuccessSource(ctx: PageContext) {
    const i18n = i18nOf(ctx);
    send(ctx, errorPage({ i18n, status: 200, title: i18n.t('logout.doneTitle'), message: i18n.t('logout.done') }));
  },

  async userCodeInputSource(ctx: PageContext, form: string, _out: unknown, err?: { name?: string; userCode?: string }) {
    const i18n = i18nOf(ctx);
    const error = !err
      ? undefined
      : err.userCode || err.name === 'NoCodeError'
        ? i18n.t('device.invalidCode')
        : err.name === 'AbortedError'
          ? i18n.t('device.aborted')
          : i18n.t('device.failed');
    send(
      ctx,
      providerFormPage({
        i18n,
        title: i18n.t('device.inputTitle'),
        content: '@provider/device-input',
        // The provider's input has no label of its own.
        form: form.replace(
          'name="user_code"',
          `name="user_code" aria-label="${escapeAttribute(i18n.t('device.codeLabel'))}"`,
        ),
        error,
        status: err ? 400 : 200,
      }),
    );
  },

  /**
   * The device confirmation: names the client, shows the device's code prominently and what the
   * device will be allowed (DESIGN §7). For a trusted client this is the only consent shown.
   */
  userCodeConfirmSource(findServer: FindResourceServer) {
    return async (ctx: PageContext, form: string, _client: unknown, _deviceInfo: unknown, userCode: string) => {
      const i18n = i18nOf(ctx);
      const access = await describeDeviceRequest(findServer, ctx.oidc?.entities?.DeviceCode?.params ?? {});
      send(
        ctx,
        providerFormPage({
          i18n,
          title: i18n.t('device.confirmTitle'),
          content: '@provider/device-confirm',
          form,
          data: { client: clientLabel(ctx, i18n), userCode, access },
        }),
      );
    };
  },

  async successSource(ctx: PageContext) {
    const i18n = i18nOf(ctx);
    send(
      ctx,
      errorPage({
        i18n,
        status: 200,
        title: i18n.t('device.doneTitle'),
        message: i18n.t('device.done', { client: clientLabel(ctx, i18n) }),
      }),
    );
  },
};

const escapeAttribute = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
