import type { IncomingHttpHeaders } from 'node:http';

/** How a resource server learns the URL its clients called (the `htu` of their DPoP proofs). */
export interface ExternalUrlOptions {
  /**
   * The service's public base URL (e.g. `https://api.example.com`, or with a path prefix a
   * proxy strips). When set, the request's scheme and host are never consulted.
   */
  publicBaseUrl?: string;
  /** Without a public base URL: take scheme and host from X-Forwarded-Proto/-Host (a trusted proxy sets them). */
  trustProxy?: boolean;
}

export interface RequestLine {
  /** The path and query as received (Express `originalUrl`, or `url`). */
  url: string;
  headers: IncomingHttpHeaders;
  /** Whether this hop arrived over TLS. */
  encrypted: boolean;
}

const first = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/**
 * The URL the client addressed, without query and fragment (RFC 9449 §4.3: htu compares
 * scheme, authority and path), normalized by WHATWG URL parsing (default ports dropped, host
 * lower-cased) so that equivalent spellings compare equal. Null when no URL can be derived.
 */
export function externalRequestUrl(req: RequestLine, options: ExternalUrlOptions): string | null {
  const path = req.url.split(/[?#]/, 1)[0] || '/';
  let base: string;
  if (options.publicBaseUrl) {
    base = options.publicBaseUrl.replace(/\/+$/, '');
  } else {
    const proto = (options.trustProxy && first(req.headers['x-forwarded-proto'])) || (req.encrypted ? 'https' : 'http');
    const host = (options.trustProxy && first(req.headers['x-forwarded-host'])) || first(req.headers.host);
    if (!host || !/^https?$/i.test(proto)) return null;
    base = `${proto}://${host}`;
  }
  return normalizeHtu(`${base}${path.startsWith('/') ? path : `/${path}`}`);
}

/** A URL in the form `htu` values are compared in; null when it is not an http(s) URL. */
export function normalizeHtu(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return `${url.protocol}//${url.host}${url.pathname}`;
}
