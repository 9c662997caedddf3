export interface BrowserResponse {
  status: number;
  url: string;
  location: string | null;
  headers: Headers;
  body: string;
}

/**
 * Just enough of a browser for protocol tests: a cookie jar (by name; paths and domains are
 * ignored because everything runs on one loopback origin), manual redirects, form posts.
 * The real-browser suite drives Chromium; this one keeps the protocol tests fast.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

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
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
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
    const expired = attributes.some((a) => {
      const [key, val] = a.trim().split('=');
      return (
        (key?.toLowerCase() === 'expires' && new Date(val!).getTime() < Date.now()) ||
        (key?.toLowerCase() === 'max-age' && Number(val) <= 0)
      );
    });
    if (expired || value === '') this.cookies.delete(name);
    else this.cookies.set(name, value);
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
