export interface BrowserResponse {
  status: number;
  url: string;
  location: string | null;
  headers: Headers;
  body: string;
}

interface Cookie {
  name: string;
  value: string;
  path: string;
}

/**
 * Just enough of a browser for protocol tests: a cookie jar honouring cookie paths (hosts are
 * ignored: everything runs on loopback, and browsers do not separate cookies by port either),
 * manual redirects, form posts. The real-browser suite drives Chromium; this keeps protocol tests fast.
 */
export class Browser {
  /** Keyed by name and path, as a browser keeps them. */
  private readonly jar = new Map<string, Cookie>();

  async get(url: string, headers: Record<string, string> = {}): Promise<BrowserResponse> {
    return this.request(url, { method: 'GET', headers });
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<BrowserResponse> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });
  }

  /** Follows redirects until a page answers or the next hop leaves through `stopAt` (e.g. a client's redirect URI). */
  async follow(url: string, stopAt?: (url: string) => boolean): Promise<BrowserResponse> {
    let response = await this.get(url);
    for (let hops = 0; response.location && hops < 10; hops++) {
      if (stopAt?.(response.location)) return response;
      response = await this.get(response.location);
    }
    return response;
  }

  /** Submits a response's redirect target like a browser would after a POST (303 → GET). */
  async continue(response: BrowserResponse, stopAt?: (url: string) => boolean): Promise<BrowserResponse> {
    if (!response.location) return response;
    if (stopAt?.(response.location)) return response;
    return this.follow(response.location, stopAt);
  }

  private async request(url: string, init: RequestInit): Promise<BrowserResponse> {
    const path = new URL(url).pathname;
    const cookie = [...this.jar.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) this.store(line);
    const location = res.headers.get('location');
    return {
      status: res.status,
      url,
      location: location ? new URL(location, url).toString() : null,
      headers: res.headers,
      body: await res.text(),
    };
  }

  private store(setCookie: string): void {
    const [pair, ...attributes] = setCookie.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    const value = pair!.slice(eq + 1).trim();
    let path = '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key, val = ''] = attribute.trim().split('=');
      const lower = key?.toLowerCase();
      if (lower === 'path' && val.startsWith('/')) path = val;
      if (lower === 'expires' && new Date(val).getTime() < Date.now()) expired = true;
      if (lower === 'max-age' && Number(val) <= 0) expired = true;
    }
    const key = `${name};${path}`;
    if (expired || value === '') this.jar.delete(key);
    else this.jar.set(key, { name, value, path });
  }
}

/** The value of a named hidden/visible input in an HTML page. */
export function formValue(html: string, name: string): string | undefined {
  const input = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`))?.[0];
  return input?.match(/value="([^"]*)"/)?.[1]?.replace(/&amp;/g, '&');
}

/** The action of the first form on a page whose action matches `pattern`. */
export function formAction(html: string, pattern = /.*/): string | undefined {
  return [...html.matchAll(/<form[^>]*action="([^"]*)"/g)].map((m) => m[1]!).find((a) => pattern.test(a));
}
