import type { IncomingMessage } from 'node:http';
import { isLocale, type Locale } from '@platform/i18n';

/** The language switcher's choice, kept for the rest of the sign-in (and the next one) in a cookie. */
const COOKIE = 'hosted_lang';

export function chosenLocale(req: IncomingMessage): Locale | null {
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('lang');
  if (isLocale(query)) return query;
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim().split('='))
    .find(([name]) => name === COOKIE)?.[1];
  return isLocale(cookie) ? cookie : null;
}

/** The Set-Cookie header for a choice made with `?lang=` (none when the request made none). */
export function languageCookie(req: IncomingMessage): string | null {
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('lang');
  return isLocale(query) ? `${COOKIE}=${query}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` : null;
}
