import type { IncomingMessage, ServerResponse } from 'node:http';
import { LRUCache } from 'lru-cache';

/** Methods and request headers the /api/v1 routes use (DPoP for sender-constrained tokens). */
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, dpop, if-match, x-request-id';
const EXPOSED_HEADERS = 'www-authenticate, retry-after, location, x-request-id, etag';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export type OriginCheck = (origin: string) => Promise<boolean>;

/** A syntactically exact origin (scheme://host[:port]); `null` and anything else never match. */
export const isExactOrigin = (value: string): boolean => URL.parse(value)?.origin === value && value !== 'null';

/**
 * The origins the identity backend allows: the configured ones, then those the authorization
 * server says a registered client declared (webOrigins), each answer cached (lru-cache: bounded,
 * concurrent look-ups of one origin share one request; refused and failed look-ups are kept
 * shorter, so a new SPA is allowed within seconds).
 */
export function allowedOrigins(options: {
  configured: readonly string[];
  /** Asks the authorization server; null: only the configured origins. */
  registered: OriginCheck | null;
  ttlMs: number;
  negativeTtlMs: number;
}): OriginCheck {
  const configured = new Set(options.configured);
  const lookUp = options.registered;
  if (!lookUp) return async (origin) => configured.has(origin);
  const cache = new LRUCache<string, boolean>({
    max: 5_000,
    ttl: options.ttlMs,
    fetchMethod: async (origin, _stale, { options: fetchOptions }) => {
      const allowed = await lookUp(origin).catch(() => false);
      if (!allowed) fetchOptions.ttl = options.negativeTtlMs;
      return allowed;
    },
  });
  return async (origin) => configured.has(origin) || (isExactOrigin(origin) && (await cache.fetch(origin)) === true);
}

/** The authorization server's answer for one origin (GET /api/v1/web-origins/allowed). */
export function registeredOriginsAt(authorizationServerUrl: string, timeoutMs = 2_000): OriginCheck {
  return async (origin) => {
    const url = new URL('/api/v1/web-origins/allowed', authorizationServerUrl);
    url.searchParams.set('origin', origin);
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    return ((await res.json()) as { allowed?: unknown }).allowed === true;
  };
}

/**
 * CORS for browser apps calling /api/v1 with bearer tokens: only an allowed origin is echoed,
 * never `*`, never credentials (tokens travel in Authorization, not cookies); preflights are
 * answered here with 204. Other origins get no CORS headers, so the browser withholds the response.
 */
export function corsMiddleware(isAllowed: OriginCheck) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const origin = req.headers.origin;
    res.appendHeader('vary', 'Origin');
    if (typeof origin !== 'string') return next();
    const preflight = req.method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string';
    isAllowed(origin).then(
      (allowed) => {
        if (!allowed) return next();
        res.setHeader('access-control-allow-origin', origin);
        if (!preflight) {
          res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
          return next();
        }
        res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
        res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
        res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
        res.statusCode = 204;
        res.end();
      },
      (error: unknown) => next(error),
    );
  };
}
