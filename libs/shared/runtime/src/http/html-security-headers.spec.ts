import { htmlSecurityHeaders, SWAGGER_UI_HEADERS } from './html-security-headers';

describe('htmlSecurityHeaders', () => {
  it('refuses framing and everything not listed', () => {
    const headers = htmlSecurityHeaders({ styleSrc: ["'nonce-abc'"], imgSrc: ["'self'", 'data:'] });
    expect(headers).toEqual({
      'content-security-policy':
        "default-src 'none'; style-src 'nonce-abc'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });

  it('lets Swagger UI load its own files, never inline scripts, and still not be framed', () => {
    const csp = SWAGGER_UI_HEADERS['content-security-policy']!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(SWAGGER_UI_HEADERS['x-frame-options']).toBe('DENY');
  });
});
