import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { ACCOUNT_PAGES, type AccountPage, type WebAppSettings } from '@platform/contracts';
import { htmlSecurityHeaders } from '@platform/runtime';
import type { AuthorizationServerConfig } from '../config';
import { ACCOUNT_CONSOLE_CLIENT_ID, ADMIN_CONSOLE_CLIENT_ID, FIRST_PARTY_APPS } from './first-party-clients';

/**
 * The server-rendered self-service pages under /account (apps/authorization-server/src/self-service):
 * never the account console's, even though they share its prefix (the console's own deep links
 * are the console's). Named by page, so that their paths live in ACCOUNT_PAGES alone.
 */
const SERVER_RENDERED: readonly AccountPage[] = [
  'signUp',
  'verifyEmail',
  'forgotPassword',
  'resetPassword',
  'confirmEmailChange',
];
export const SERVER_RENDERED_ACCOUNT_PAGES: readonly string[] = SERVER_RENDERED.map((page) => ACCOUNT_PAGES[page]);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite's content-hashed build output: a new build gets new names, so browsers may keep these forever. */
const HASHED_ASSETS = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface MountedApp {
  basePath: string;
  root: string;
  settings: WebAppSettings;
}

export const defaultWebAppsDir = () => resolve(__dirname, '../../../../web');

/**
 * Serves the built single-page apps: /account (account console) and /console (admin console)
 * from `<WEB_APPS_DIR>/account` and `<WEB_APPS_DIR>/console`. Client-side routes get index.html;
 * hashed assets are cached for good, index.html never; every response carries a CSP that lets the
 * app load only its own scripts and talk only to this issuer and the identity backend.
 */
export function webAppsMiddleware(config: AuthorizationServerConfig) {
  const dir = config.WEB_APPS_DIR ?? defaultWebAppsDir();
  const identityApiUrl = new URL(config.IDENTITY_BACKEND_PUBLIC_URL ?? config.IDENTITY_BACKEND_URL).origin;
  const folders: Record<string, string> = {
    [ACCOUNT_CONSOLE_CLIENT_ID]: 'account',
    [ADMIN_CONSOLE_CLIENT_ID]: 'console',
  };
  const apps: MountedApp[] = FIRST_PARTY_APPS.map((app) => ({
    basePath: app.basePath,
    root: resolve(dir, folders[app.clientId] ?? app.clientId),
    settings: {
      issuer: config.ISSUER,
      clientId: app.clientId,
      identityApiUrl,
      identityApiAudience: config.IDENTITY_API_AUDIENCE,
      authzApiAudience: config.AUTHZ_API_AUDIENCE,
      defaultTenant: config.DEFAULT_LOGIN_TENANT,
    },
  }));
  const headers = {
    ...htmlSecurityHeaders({
      scriptSrc: ["'self'"],
      // The component library sets style attributes and one <style> of CSS variables at run time.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // Profile pictures are URLs the user chose; QR codes are data: URIs.
      imgSrc: ["'self'", 'data:', 'https:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", new URL(config.ISSUER).origin, identityApiUrl],
    }),
    // The SPA's sign-in callback must not leak its code to other origins; same-origin calls keep the referrer.
    'referrer-policy': 'same-origin',
  };

  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = (req.url ?? '/').split('?')[0]!;
    const app = apps.find((a) => path === a.basePath || path.startsWith(`${a.basePath}/`));
    if (!app || SERVER_RENDERED_ACCOUNT_PAGES.some((page) => path === page || path.startsWith(`${page}/`))) {
      return next();
    }
    serve(app, path, headers, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  };
}

async function serve(
  app: MountedApp,
  path: string,
  headers: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (path === app.basePath) {
    // Relative asset URLs resolve against the directory: /account → /account/.
    res.writeHead(302, { location: `${app.basePath}/` }).end();
    return;
  }
  const relative = decodeSafely(path.slice(app.basePath.length + 1));
  if (relative === null) return notFound(res);
  if (relative === 'config.json') {
    res.writeHead(200, { 'content-type': CONTENT_TYPES['.json']!, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(app.settings));
    return;
  }
  const file = relative === '' ? null : within(app.root, relative);
  const found = file ? await regularFile(file) : null;
  if (found) return sendFile(found, `/${relative}`.startsWith(HASHED_ASSETS) ? IMMUTABLE : 'no-cache', req, res);
  // A file name that does not exist is a 404; anything else is a route of the app.
  if (extname(relative) !== '') return notFound(res);
  const index = await regularFile(join(app.root, 'index.html'));
  if (!index) {
    res.writeHead(404, { 'content-type': CONTENT_TYPES['.txt']!, 'cache-control': 'no-cache' });
    res.end(`${app.basePath} is not built: run npm run build\n`);
    return;
  }
  return sendFile(index, 'no-cache', req, res);
}

function decodeSafely(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? null : decoded;
  } catch {
    return null;
  }
}

/** The file under root, never outside it (`..`, absolute paths, encoded separators). */
function within(root: string, relative: string): string | null {
  const file = normalize(join(root, relative));
  return file.startsWith(root + sep) ? file : null;
}

async function regularFile(file: string): Promise<{ file: string; size: number } | null> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? { file, size: info.size } : null;
}

function sendFile(
  { file, size }: { file: string; size: number },
  cacheControl: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': cacheControl,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': CONTENT_TYPES['.txt']!, 'cache-control': 'no-cache' }).end('Not found\n');
}
