/** The languages every catalogue is complete in; the first is the fallback. */
export const SUPPORTED_LOCALES = ['en', 'de', 'fr'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's own name, for the language switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', de: 'Deutsch', fr: 'Français' };

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);

/** `de-CH` → `de` when supported, else null (language tags are case-insensitive, BCP 47). */
function supported(tag: string): Locale | null {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : null;
}

/** An Accept-Language header's tags, most preferred first (q=0 means "not this one"). */
function acceptedTags(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
    .map((entry) => entry.tag);
}

/**
 * The language of a page or an email (DESIGN §8): the request's `ui_locales` (OIDC Core §3.1.2.1,
 * space-separated, in order of preference), then the user's `locale` claim, then the browser's
 * Accept-Language, then English. The first supported language of the first source that has one wins.
 */
export function resolveLocale(
  uiLocales?: string | null,
  userLocale?: string | null,
  acceptLanguage?: string | null,
): Locale {
  const candidates = [...(uiLocales ?? '').split(/\s+/), userLocale ?? '', ...acceptedTags(acceptLanguage ?? '')];
  for (const tag of candidates) {
    const locale = tag ? supported(tag) : null;
    if (locale) return locale;
  }
  return DEFAULT_LOCALE;
}
