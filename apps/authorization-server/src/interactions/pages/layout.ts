import { randomBytes } from 'node:crypto';
import { htmlSecurityHeaders } from '@platform/runtime';

/** What a tenant may change on its hosted pages. */
export interface Branding {
  name: string;
  logoUrl?: string | null;
  primaryColor?: string | null;
}

export const PLATFORM_BRANDING: Branding = { name: 'Identity Platform' };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** HTML already escaped (or produced by oidc-provider, which escapes its own values). */
export class SafeHtml {
  constructor(readonly value: string) {}
}

/** A template tag that escapes every interpolated value unless it is SafeHtml (or a list of them). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const render = (value: unknown): string =>
    value instanceof SafeHtml
      ? value.value
      : Array.isArray(value)
        ? value.map(render).join('')
        : value === false || value === null || value === undefined
          ? ''
          : escapeHtml(value);
  return new SafeHtml(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
}

export interface RenderedPage {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface PageOptions {
  title: string;
  branding?: Branding;
  status?: number;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/**
 * The frame of every hosted page: one inline stylesheet allowed by a per-response nonce, no
 * scripts at all, not frameable, not cached, no referrer leaking the interaction URL.
 */
export function renderPage(content: SafeHtml, options: PageOptions): RenderedPage {
  const branding = options.branding ?? PLATFORM_BRANDING;
  const nonce = randomBytes(16).toString('base64');
  const accent = branding.primaryColor && COLOR.test(branding.primaryColor) ? branding.primaryColor : '#1f4fd1';
  const logo = branding.logoUrl?.startsWith('https://') ? branding.logoUrl : null;
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${options.title} · ${branding.name}</title>
        <style nonce="${nonce}">
          :root {
            --accent: ${accent};
          }
          * {
            box-sizing: border-box;
          }
          body {
            margin: 0;
            font:
              16px/1.5 system-ui,
              -apple-system,
              'Segoe UI',
              Roboto,
              sans-serif;
            background: #f4f5f7;
            color: #1b1d21;
          }
          main {
            max-width: 26rem;
            margin: 3rem auto;
            padding: 2rem;
            background: #fff;
            border-radius: 0.75rem;
            box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12);
          }
          header {
            display: flex;
            align-items: center;
            gap: 0.75rem;
            margin-bottom: 1rem;
          }
          header img {
            max-height: 2.5rem;
            max-width: 8rem;
          }
          h1 {
            font-size: 1.4rem;
            margin: 0.25rem 0 1rem;
          }
          label {
            display: block;
            font-weight: 600;
            margin: 0.75rem 0 0.25rem;
          }
          input[type='text'],
          input[type='email'],
          input[type='password'] {
            width: 100%;
            padding: 0.6rem;
            border: 1px solid #8a8f98;
            border-radius: 0.4rem;
            font: inherit;
          }
          input:focus,
          button:focus,
          a:focus {
            outline: 3px solid var(--accent);
            outline-offset: 2px;
          }
          button {
            margin-top: 1rem;
            width: 100%;
            padding: 0.65rem;
            border: 0;
            border-radius: 0.4rem;
            background: var(--accent);
            color: #fff;
            font: inherit;
            font-weight: 600;
            cursor: pointer;
          }
          a.button {
            display: block;
            text-align: center;
            padding: 0.6rem;
            border: 1px solid var(--accent);
            border-radius: 0.4rem;
            color: var(--accent);
            text-decoration: none;
            font-weight: 600;
          }
          button.secondary {
            background: #fff;
            color: var(--accent);
            border: 1px solid var(--accent);
          }
          .alert {
            padding: 0.6rem 0.8rem;
            border-radius: 0.4rem;
            background: #fdecea;
            color: #8a1c12;
            margin-bottom: 1rem;
          }
          .muted {
            color: #555;
            font-size: 0.9rem;
          }
          ul.scopes {
            padding-left: 1.2rem;
          }
          h2 {
            font-size: 1.05rem;
            margin: 1rem 0 0;
          }
          .code {
            font:
              700 2rem/1.2 ui-monospace,
              monospace;
            letter-spacing: 0.15em;
            text-align: center;
            padding: 0.5rem;
            border: 2px dashed var(--accent);
            border-radius: 0.4rem;
          }
        </style>
      </head>
      <body>
        <main>
          <header>${logo ? html`<img src="${logo}" alt="" />` : ''}<strong>${branding.name}</strong></header>
          ${content}
        </main>
      </body>
    </html>`.value;
  return {
    status: options.status ?? 200,
    body,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      ...htmlSecurityHeaders({ styleSrc: [`'nonce-${nonce}'`], imgSrc: ["'self'", 'https:', 'data:'] }),
      'cache-control': 'no-store',
      pragma: 'no-cache',
    },
  };
}

/** The hidden CSRF field every form carries. */
export const csrfField = (token: string) => html`<input type="hidden" name="csrf" value="${token}" />`;
