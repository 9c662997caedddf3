import { type Branding, pageI18n, type PageI18n, PLATFORM_BRANDING, type RenderedPage } from './pages/layout';

/** The slice of a koa context these renderers touch. */
export interface PageContext {
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

export function send(ctx: PageContext, page: RenderedPage): void {
  ctx.status = page.status;
  ctx.set(page.headers);
  ctx.body = page.body;
}

/** The language of a provider-rendered page: the request's ui_locales, else the browser's. */
export function i18nOf(ctx: PageContext): PageI18n {
  const uiLocales = ctx.oidc?.params?.ui_locales ?? ctx.oidc?.entities?.DeviceCode?.params?.ui_locales;
  return pageI18n({
    uiLocales: typeof uiLocales === 'string' ? uiLocales : null,
    acceptLanguage: ctx.get?.('accept-language') ?? null,
  });
}

export const clientLabel = (ctx: PageContext, i18n: PageI18n) =>
  ctx.oidc?.client?.clientName ?? ctx.oidc?.client?.clientId ?? i18n.t('common.theApplication');

/**
 * The branding of the client's tenant for the pages oidc-provider renders (it calls them outside
 * Nest's injection): InteractionsModule installs the resolver at start-up; the platform's until then.
 */
export const providerPageBranding: { resolve: (clientId: string) => Promise<Branding> } = {
  resolve: async () => PLATFORM_BRANDING,
};

export async function brandingOf(ctx: PageContext): Promise<Branding> {
  const clientId = ctx.oidc?.client?.clientId;
  if (!clientId) return PLATFORM_BRANDING;
  return providerPageBranding.resolve(clientId).catch(() => PLATFORM_BRANDING);
}

/** What every page of the provider's renders with: the request's language and the client's branding. */
export async function pageCommonOf(ctx: PageContext): Promise<{ i18n: PageI18n; branding: Branding }> {
  return { i18n: i18nOf(ctx), branding: await brandingOf(ctx) };
}
