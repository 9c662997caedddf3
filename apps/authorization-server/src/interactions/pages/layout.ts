/**
 * The template layer of the hosted pages (login, MFA, consent, device, logout, errors, and the
 * self-service pages in ../../self-service/).
 *
 * How to add a page:
 *  1. Add its strings to every catalogue in libs/shared/i18n/src/catalogues (en, de, fr; the
 *     i18n spec fails when a language lacks a key), or register a namespace of your own with
 *     `registerCatalogue` from @platform/i18n.
 *  2. Register an eta template once, at module load: `registerTemplate('@my-page', source)`.
 *     `<%= x %>` escapes, `<%~ x %>` does not (only for `include(...)` output and SafeHtml).
 *     A template sees `it.t` (the request's translate function), `it.locale`, `it.branding`,
 *     and whatever data you pass; `<%~ include('@alert', { message, link }) %>` and
 *     `<%~ include('@csrf', { token }) %>` are shared partials.
 *  3. Render it: `renderPage('@my-page', data, { title: i18n.t('my.title'), i18n, branding })`
 *     returns status, headers (strict CSP, no-store, not frameable) and body; send it as is.
 *     `i18n` comes from `pageI18n(...)` (ui_locales → user locale → Accept-Language).
 * Every page works without JavaScript. Styles live in stylesheet.ts (one file for all); the only
 * script is passkey-script.ts, a same-origin file a page names in `script` (its nonce alone is script-src).
 */
import { randomBytes } from 'node:crypto';
import {
  createTemplateEngine,
  LOCALE_NAMES,
  type Locale,
  resolveLocale,
  SUPPORTED_LOCALES,
  translator,
  type Translate,
} from '@platform/i18n';
import { htmlSecurityHeaders } from '@platform/runtime';
import { type Branding, PLATFORM_BRANDING, themeOf } from './branding';
import { HOSTED_STYLESHEET_PATH } from './stylesheet';

export { type Branding, PLATFORM_BRANDING } from './branding';

/** HTML already escaped (or produced by oidc-provider, which escapes its own values): printed with `<%~ %>`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export interface RenderedPage {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** The language of one response, and how its language switcher links to the other languages. */
export interface PageI18n {
  locale: Locale;
  t: Translate;
  /** The URL of this page in another language; without it the page has no switcher. */
  languageHref?: (locale: Locale) => string;
}

export interface PageOptions {
  title: string;
  branding?: Branding;
  status?: number;
  i18n?: PageI18n;
  /** A same-origin script file of this server (the passkey pages): loaded with the page's nonce. */
  script?: string;
}

/** The language a request asked for; `chosen` is the switcher's explicit pick, ahead of everything. */
export function pageI18n(
  sources: {
    chosen?: string | null;
    uiLocales?: string | null;
    userLocale?: string | null;
    acceptLanguage?: string | null;
  },
  languageHref?: (locale: Locale) => string,
): PageI18n {
  const uiLocales = [sources.chosen, sources.uiLocales].filter(Boolean).join(' ');
  const locale = resolveLocale(uiLocales, sources.userLocale, sources.acceptLanguage);
  return { locale, t: translator(locale), languageHref };
}

export const ENGLISH: PageI18n = { locale: 'en', t: translator('en') };

const templates = createTemplateEngine();

/** Registers a named template (`@name`); names are global, so prefix a feature's own (`@self-service/...`). */
export function registerTemplate(name: string, source: string): void {
  templates.loadTemplate(name, source);
}

registerTemplate(
  '@layout',
  `<!doctype html>
<html lang="<%= it.locale %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title><%= it.title %> · <%= it.branding.name %></title>
<link rel="stylesheet" href="<%= it.stylesheet %>">
<style nonce="<%= it.nonce %>">:root{--accent:<%= it.theme.accent %>;--accent-text:<%= it.theme.accentText %>;--link:<%= it.theme.link %>}@media (prefers-color-scheme: dark){:root{--link:<%= it.theme.linkDark %>}}</style>
<% if (it.theme.customCss) { %><link rel="stylesheet" href="<%= it.theme.customCss.href %>"><% } %>
<% if (it.script) { %><script src="<%= it.script %>" nonce="<%= it.nonce %>" defer></script><% } %>
</head>
<body>
<main>
<div class="brand"><% if (it.theme.logoUrl) { %><img src="<%= it.theme.logoUrl %>" alt=""><% } %><strong><%= it.branding.name %></strong></div>
<%~ it.body %>
</main>
<% if (it.languages.length) { %>
<footer><nav aria-label="<%= it.t('common.language') %>"><ul>
<% it.languages.forEach(function (l) { %><li><a href="<%= l.href %>" lang="<%= l.locale %>" hreflang="<%= l.locale %>"<% if (l.current) { %> aria-current="true"<% } %>><%= l.name %></a></li><% }) %>
</ul></nav></footer>
<% } %>
</body>
</html>`,
);

// An error at the top of a form (id form-error: the inputs it is about point at it with aria-describedby).
// The text comes first and alone, then an optional `link` { href, label } (the way out, e.g. a reset).
registerTemplate(
  '@alert',
  `<% if (it.message) { %><div class="alert" id="form-error" role="alert"><%= it.message %><% if (it.link) { %> <a href="<%= it.link.href %>"><%= it.link.label %></a><% } %></div><% } %>`,
);
registerTemplate('@csrf', `<input type="hidden" name="csrf" value="<%= it.token %>">`);

/**
 * Renders a registered template inside the layout: one same-origin stylesheet plus a nonce'd
 * <style> with the tenant's colours, an optional https stylesheet of the tenant (its origin
 * only joins style-src), no script unless the page names its one file (script-src then has only
 * the nonce: no inline code, no other file), not frameable, not cached, no referrer.
 */
export function renderPage(template: string, data: object, options: PageOptions): RenderedPage {
  const branding = options.branding ?? PLATFORM_BRANDING;
  const i18n = options.i18n ?? ENGLISH;
  const theme = themeOf(branding);
  const nonce = randomBytes(16).toString('base64');
  const common = { t: i18n.t, locale: i18n.locale, branding };
  const body = templates.render(template, { ...common, ...data });
  const languageHref = i18n.languageHref;
  const languages = languageHref
    ? SUPPORTED_LOCALES.map((locale) => ({
        locale,
        name: LOCALE_NAMES[locale],
        href: languageHref(locale),
        current: locale === i18n.locale,
      }))
    : [];
  const page = templates.render('@layout', {
    ...common,
    title: options.title,
    body,
    nonce,
    theme,
    languages,
    stylesheet: HOSTED_STYLESHEET_PATH,
    script: options.script,
  });
  const styleSrc = ["'self'", `'nonce-${nonce}'`, ...(theme.customCss ? [theme.customCss.origin] : [])];
  return {
    status: options.status ?? 200,
    body: page,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-language': i18n.locale,
      ...htmlSecurityHeaders({
        scriptSrc: options.script ? [`'nonce-${nonce}'`] : undefined,
        styleSrc,
        imgSrc: ["'self'", 'https:', 'data:'],
      }),
      'cache-control': 'no-store',
      pragma: 'no-cache',
    },
  };
}
