import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserPostSupport, postAsGetRedirect } from './browser-post';

type ProviderClass = typeof import('oidc-provider').default;

describe('POST at the authorization endpoint', () => {
  let Provider: ProviderClass;
  const servers: Server[] = [];

  beforeAll(async () => {
    // The bare providers here use oidc-provider's development keys and pages; their warnings are noise.
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    ({ default: Provider } = await import('oidc-provider'));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  async function serve(provider: { callback(): Parameters<typeof createServer>[1] }): Promise<string> {
    const server = createServer(provider.callback());
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('https issuers: native POST support with SameSite=None session cookies; http issuers: Lax cookies', () => {
    expect(browserPostSupport('https://login.example.com')).toEqual({ enableHttpPostMethods: true, sameSite: 'none' });
    expect(browserPostSupport('http://127.0.0.1:3000')).toEqual({ enableHttpPostMethods: false, sameSite: 'lax' });
  });

  it('the provider refuses POST with Lax session cookies, which is why http issuers bridge it instead', () => {
    const lax = () =>
      new Provider('http://127.0.0.1:3000', { enableHttpPostMethods: true, cookies: { long: { sameSite: 'lax' } } });
    expect(lax).toThrow(/sameSite is set to none/);
  });

  it('https issuers: the provider answers POST /authorize itself', async () => {
    const { enableHttpPostMethods, sameSite } = browserPostSupport('https://login.example.com');
    const provider = new Provider('https://login.example.com', {
      enableHttpPostMethods,
      cookies: { long: { sameSite } },
    });
    const base = await serve(provider);
    const res = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'nobody', response_type: 'code', scope: 'openid' }),
      redirect: 'manual',
    });
    // The route exists: an unknown client is a 400 error page, not a 404.
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/invalid_client/);
  });

  it('http issuers: a form POST becomes a 303 to the same endpoint as GET with the same parameters', async () => {
    const provider = new Provider('http://127.0.0.1:3000/', {});
    provider.use(postAsGetRedirect('http://127.0.0.1:3000/', ['/auth', '/session/end']));
    const base = await serve(provider);
    const form = { client_id: 'app', scope: 'openid email', state: 'a&b=c', redirect_uri: 'https://app.example/cb' };
    const res = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:3000/auth');
    expect(Object.fromEntries(location.searchParams)).toEqual(form);

    // Anything else still reaches the provider unchanged (which has no POST route on http issuers).
    const json = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(404);
  });

  it('http issuers: an oversized form is refused, not turned into a URL', async () => {
    const provider = new Provider('http://127.0.0.1:3000', {});
    provider.use(postAsGetRedirect('http://127.0.0.1:3000', ['/auth']));
    const base = await serve(provider);
    const res = await fetch(`${base}/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
  });
});
