import { describeDeviceRequest, type FindResourceServer } from '../access-request';
import { registerTemplate } from '../pages/layout';
import { errorPage, providerFormPage } from '../pages/pages';
import { clientLabel, type PageContext, pageCommonOf, send } from '../provider-context';

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

/**
 * The device flow's pages (RFC 8628), which oidc-provider renders through these: the code input,
 * the confirmation naming the client, the device's code and what it will be allowed (DESIGN §7;
 * for a trusted client the only consent shown), and the success page. Its forms carry its CSRF field.
 */
export const devicePages = {
  async userCodeInputSource(ctx: PageContext, form: string, _out: unknown, err?: { name?: string; userCode?: string }) {
    const { i18n, branding } = await pageCommonOf(ctx);
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
        branding,
        title: i18n.t('device.inputTitle'),
        content: '@provider/device-input',
        // The provider's input has no label of its own.
        // Its inline onfocus handler would only be refused by the page's CSP (no script at all): dropped.
        form: form
          .replace(/\s+onfocus="[^"]*"/, '')
          .replace('placeholder="Enter code"', '')
          .replace('name="user_code"', `name="user_code" aria-label="${escapeAttribute(i18n.t('device.codeLabel'))}"`),
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
      const { i18n, branding } = await pageCommonOf(ctx);
      const access = await describeDeviceRequest(findServer, ctx.oidc?.entities?.DeviceCode?.params ?? {});
      send(
        ctx,
        providerFormPage({
          i18n,
          branding,
          title: i18n.t('device.confirmTitle'),
          content: '@provider/device-confirm',
          form,
          data: { client: clientLabel(ctx, i18n), userCode, access },
        }),
      );
    };
  },

  async successSource(ctx: PageContext) {
    const { i18n, branding } = await pageCommonOf(ctx);
    send(
      ctx,
      errorPage({
        i18n,
        branding,
        status: 200,
        title: i18n.t('device.doneTitle'),
        message: i18n.t('device.done', { client: clientLabel(ctx, i18n) }),
      }),
    );
  },
};

const escapeAttribute = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
