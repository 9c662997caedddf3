import { providerHtmlHeaders } from './provider-pages';

/** A koa-like context that records its headers. */
const context = () => {
  const headers = new Map<string, string>();
  return {
    headers,
    type: '',
    set(values: Record<string, string>) {
      for (const [name, value] of Object.entries(values)) headers.set(name, value);
    },
    remove(name: string) {
      headers.delete(name);
    },
  };
};

describe('providerHtmlHeaders', () => {
  it("gives the provider's own HTML the hosted-page headers, with a script-src its form_post hash can join", async () => {
    const ctx = context();
    await providerHtmlHeaders(ctx, async () => {
      ctx.type = 'text/html';
    });
    expect(ctx.headers.get('x-frame-options')).toBe('DENY');
    expect(ctx.headers.get('content-security-policy')).toMatch(/script-src 'strict-dynamic'.*frame-ancestors 'none'/);
  });

  it('leaves non-HTML answers (tokens, JWKS) without them', async () => {
    const ctx = context();
    await providerHtmlHeaders(ctx, async () => {
      ctx.type = 'application/json';
    });
    expect([...ctx.headers.keys()]).toEqual([]);
  });
});
