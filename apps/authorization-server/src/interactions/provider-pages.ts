import { describeDeviceRequest, type FindResourceServer } from './access-request';
import { htmlSecurityHeaders } from '@platform/runtime';
import { html, type RenderedPage } from './pages/layout';
import { accessList, errorPage, providerFormPage } from './pages/pages';

/** The slice of a koa context these renderers touch. */
interface PageContext {
  status: number;
  body: unknown;
  set(headers: Record<string, string>): void;
  oidc: {
    client?: { clientName?: string; clientId: string };
    /** The device flow's pending request (RFC 8628 §3.1 parameters), on the confirmation page. */
    entities?: { DeviceCode?: { params?: { scope?: unknown; resource?: unknown } } };
  };
}

function send(ctx: PageContext, page: RenderedPage): void {
  ctx.status = page.status;
  ctx.set(page.headers);
  ctx.body = page.body;
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

const clientLabel = (ctx: PageContext) => ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'the application';

/**
 * The pages oidc-provider renders itself (errors, logout, device flow), in the hosted-page
 * frame with its security headers. Its forms carry the provider's own CSRF field.
 */
export const providerPages = {
  async renderError(ctx: PageContext, out: { error: string; error_description?: string }, error: Error) {
    const status = (error as { status?: number }).status ?? 400;
    send(
      ctx,
      errorPage({
        status: status >= 400 ? status : 400,
        title: status >= 500 ? 'Something went wrong' : 'This sign-in request cannot be completed',
        // Described by the provider in OAuth terms; never a stack trace.
        message: status >= 500 ? 'Please try again in a few minutes.' : (out.error_description ?? out.error),
      }),
    );
  },

  async logoutSource(ctx: PageContext, form: string) {
    send(
      ctx,
      providerFormPage({
        title: 'Sign out',
        intro: html`<p>Do you want to sign out of ${clientLabel(ctx)} and this sign-in service?</p>`,
        form,
        buttons: html`<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">
            Yes, sign me out
          </button>
          <button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button>`,
      }),
    );
  },

  async postLogoutSuccessSource(ctx: PageContext) {
    send(ctx, errorPage({ status: 200, title: 'Signed out', message: 'You have been signed out.' }));
  },

  async userCodeInputSource(ctx: PageContext, form: string, _out: unknown, err?: { name?: string; userCode?: string }) {
    const error = !err
      ? undefined
      : err.userCode || err.name === 'NoCodeError'
        ? 'That code is not valid. Check the code on your device and try again.'
        : err.name === 'AbortedError'
          ? 'The sign-in request was cancelled.'
          : 'The request could not be processed. Start again on your device.';
    send(
      ctx,
      providerFormPage({
        title: 'Connect a device',
        intro: html`<p>Enter the code shown on your device.</p>`,
        // The provider's input has no label of its own.
        form: form.replace('name="user_code"', 'name="user_code" aria-label="Code shown on your device"'),
        error,
        status: err ? 400 : 200,
        buttons: html`<button type="submit" form="op.deviceInputForm">Continue</button>`,
      }),
    );
  },

  /**
   * The device confirmation: names the client, shows the device's code prominently and what the
   * device will be allowed (DESIGN §7). For a trusted client this is the only consent shown.
   */
  userCodeConfirmSource(findServer: FindResourceServer) {
    return async (ctx: PageContext, form: string, _client: unknown, _deviceInfo: unknown, userCode: string) => {
      const access = await describeDeviceRequest(findServer, ctx.oidc.entities?.DeviceCode?.params ?? {});
      send(
        ctx,
        providerFormPage({
          title: 'Confirm the device',
          intro: html`<p><strong>${clientLabel(ctx)}</strong> asks to sign in on a device showing this code:</p>
            <p class="code">${userCode}</p>
            <p>If you continue, the device will be able to:</p>
            ${accessList(access)}
            <p class="muted">
              If you did not start this yourself, or the code differs from the one on your device, cancel: someone may
              be trying to get access to your account.
            </p>`,
          form,
          buttons: html`<button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
            <button class="secondary" type="submit" form="op.deviceConfirmForm" value="yes" name="abort">
              Cancel
            </button>`,
        }),
      );
    };
  },

  async successSource(ctx: PageContext) {
    send(
      ctx,
      errorPage({
        status: 200,
        title: 'Device connected',
        message: `You are signed in on your device with ${clientLabel(ctx)}. You can close this page.`,
      }),
    );
  },
};
