import i18next, { type i18n } from 'i18next';
import { de } from './catalogues/de';
import { en } from './catalogues/en';
import { fr } from './catalogues/fr';
import { DEFAULT_LOCALE, type Locale, SUPPORTED_LOCALES } from './locales';

/** A translation function bound to one language (and namespace): `t('login.title')`, `t('x', { name })`. */
export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** One namespace's catalogue in every supported language (English's keys are the reference). */
export type Catalogues = Readonly<Record<Locale, object>>;

/** The namespace of the hosted pages' strings (catalogues/en.ts). */
export const HOSTED_PAGES_NAMESPACE = 'hosted';

/**
 * One i18next instance for the process, its resources in code (no file loading, no backend),
 * initialised synchronously. Values are NOT escaped here: every caller renders through an
 * autoescaping template (eta on the hosted pages and in HTML emails), which escapes once.
 */
const instance: i18n = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources: Object.fromEntries(
    SUPPORTED_LOCALES.map((locale) => [locale, { [HOSTED_PAGES_NAMESPACE]: { en, de, fr }[locale] }]),
  ),
  supportedLngs: [...SUPPORTED_LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: HOSTED_PAGES_NAMESPACE,
  ns: [HOSTED_PAGES_NAMESPACE],
  interpolation: { escapeValue: false },
  returnNull: false,
});

/**
 * Adds a namespace of strings (e.g. the identity backend's emails) in every supported language;
 * `missingKeys` in a spec keeps the languages complete.
 */
export function registerCatalogue(namespace: string, catalogues: Catalogues): void {
  for (const locale of SUPPORTED_LOCALES) {
    instance.addResourceBundle(locale, namespace, catalogues[locale], true, true);
  }
}

/** The `t` of one request or one email: a language and a namespace (the hosted pages' by default). */
export function translator(locale: Locale, namespace: string = HOSTED_PAGES_NAMESPACE): Translate {
  const fixed = instance.getFixedT(locale, namespace);
  return (key, values) => String(fixed(key, values ?? {}));
}

/** Dotted keys of `reference` that `other` lacks (or has as a non-string): a catalogue's gaps. */
export function missingKeys(reference: object, other: object, prefix = ''): string[] {
  return Object.entries(reference).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const counterpart = (other as Record<string, unknown>)[key];
    if (typeof value === 'string') return typeof counterpart === 'string' && counterpart ? [] : [path];
    return counterpart && typeof counterpart === 'object' ? missingKeys(value as object, counterpart, path) : [path];
  });
}

export const HOSTED_PAGES_CATALOGUES: Catalogues = { en, de, fr };
