import { ApiCallError, describeError } from '@platform/web';
import i18next from 'i18next';
import { useEffect, useState } from 'react';
import { de } from './de';
import { en } from './en';
import { fr } from './fr';

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
] as const;
const SUPPORTED = LANGUAGES.map((l) => l.value as string);
const CHOSEN = 'account.language';

/** ?ui_locales= (as the hosted pages), then the user's choice here, then the browser's languages. */
function initialLanguage(): string {
  const candidates = [
    ...(new URLSearchParams(location.search).get('ui_locales')?.split(' ') ?? []),
    localStorage.getItem(CHOSEN) ?? '',
    ...navigator.languages,
  ];
  for (const tag of candidates) {
    const base = tag.toLowerCase().split('-')[0]!;
    if (SUPPORTED.includes(base)) return base;
  }
  return 'en';
}

void i18next.init({
  lng: initialLanguage(),
  fallbackLng: 'en',
  resources: { en: { translation: en }, de: { translation: de }, fr: { translation: fr } },
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});
document.documentElement.lang = i18next.language;

export function setLanguage(language: string): void {
  localStorage.setItem(CHOSEN, language);
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

/** The translate function, re-rendering when the language changes. */
export function useT() {
  const [, setLanguageState] = useState(i18next.language);
  useEffect(() => {
    const changed = (language: string) => setLanguageState(language);
    i18next.on('languageChanged', changed);
    return () => i18next.off('languageChanged', changed);
  }, []);
  return { t: i18next.t.bind(i18next), language: i18next.language };
}

/** An API error as a message in the user's language (the shared English wording otherwise). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError && i18next.exists(`errors.${error.code}`)) return i18next.t(`errors.${error.code}`);
  return describeError(error);
}

export const formatDate = (value: string | Date | null | undefined): string =>
  value
    ? new Intl.DateTimeFormat(i18next.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value))
    : '—';
