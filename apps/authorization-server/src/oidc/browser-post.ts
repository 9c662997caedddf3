import type { IncomingMessage } from 'node:http';

/**
 * POST at the authorization endpoint (OIDC Core §3.1.2.1) and at RP-initiated logout, and the
 * session cookie that makes it work.
 *
 * A relying party's form POST is a cross-site request: a `SameSite=Lax` session cookie is not sent
 * with it, so the user would look signed out (and `prompt=none` would fail). oidc-provider therefore
 * refuses `enableHttpPostMethods` unless the session cookie is `SameSite=None`, and browsers accept
 * `SameSite=None` only with `Secure`, i.e. over https. Hence:
 * - https issuers: the provider's own POST support, session cookie `SameSite=None; Secure` (the
 *   provider adds `Secure` when the request is https — terminate TLS here or set TRUST_PROXY behind
 *   an ingress). The cost: the session cookie also travels on cross-site subrequests; every state
 *   change still needs the hosted pages' CSRF token, and the pages refuse framing.
 * - plain-http (development) issuers: `Lax` cookies, and a POST is answered with a 303 to the same
 *   endpoint as GET with the same parameters. The browser follows it as a top-level GET navigation,
 *   which does carry Lax cookies. The cost: the parameters show up in the URL (history, logs) and
 *   are bound by URL length limits (large request objects should use PAR instead).
 */
export function browserPostSupport(issuer: string): { enableHttpPostMethods: boolean; sameSite: 'none' | 'lax' } {
  const https = new URL(issuer).protocol === 'https:';
  return { enableHttpPostMethods: https, sameSite: https ? 'none' : 'lax' };
}

/** Largest form accepted by the http bridge (URLs beyond this break in browsers and proxies anyway). */
const MAX_FORM_BYTES = 16 * 1024;

interface KoaLike {
  method: string;
  path: string;
  status: number;
  body: unknown;
  req: IncomingMessage;
  is(type: string): string | false | null;
  redirect(url: string): void;
}

/**
 * For plain-http issuers (see browserPostSupport): POST `paths` with a form body → 303 to GET with
 * the form as the query. Anything else goes on to the provider unchanged.
 */
export function postAsGetRedirect(issuer: string, paths: readonly string[]) {
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
  return async function postAsGet(ctx: KoaLike, next: () => Promise<void>): Promise<void> {
    if (ctx.method !== 'POST' || !paths.includes(ctx.path) || !ctx.is('application/x-www-form-urlencoded')) {
      return next();
    }
    const form = await readForm(ctx.req);
    if (form === null) {
      ctx.status = 413;
      ctx.body = { error: 'invalid_request', error_description: 'request body too large; use GET or PAR' };
      return;
    }
    const target = new URL(ctx.path.replace(/^\//, ''), base);
    target.search = new URLSearchParams(form).toString();
    ctx.status = 303;
    ctx.redirect(target.toString());
  };
}

async function readForm(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
