/** The sources an HTML response may load beyond itself; everything not listed is refused (default-src 'none'). */
export interface HtmlSourcePolicy {
  scriptSrc?: readonly string[];
  styleSrc?: readonly string[];
  imgSrc?: readonly string[];
  fontSrc?: readonly string[];
  connectSrc?: readonly string[];
}

/**
 * The security headers of every HTML response the platform serves (hosted pages, Swagger UI):
 * a CSP listing only what the page needs, never frameable (frame-ancestors 'none', and
 * X-Frame-Options for browsers that predate it), no MIME sniffing, no referrer.
 */
export function htmlSecurityHeaders(policy: HtmlSourcePolicy): Record<string, string> {
  const directive = (name: string, sources?: readonly string[]) =>
    sources && sources.length > 0 ? `${name} ${sources.join(' ')}` : null;
  const csp = [
    "default-src 'none'",
    directive('script-src', policy.scriptSrc),
    directive('style-src', policy.styleSrc),
    directive('img-src', policy.imgSrc),
    directive('font-src', policy.fontSrc),
    directive('connect-src', policy.connectSrc),
    // No form-action: browsers apply it to every redirect after a POST, and a sign-in's chain
    // (this server, an upstream IdP, back, then the app) crosses origins no page can list.
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].filter((d): d is string => d !== null);
  return {
    'content-security-policy': csp.join('; '),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/**
 * Swagger UI's own needs: its bundle and init script are same-origin files (no inline script),
 * its template carries inline <style> blocks and style attributes, its icons are data: URIs,
 * and "Try it out" calls this same origin.
 */
export const SWAGGER_UI_HEADERS = htmlSecurityHeaders({
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
});
