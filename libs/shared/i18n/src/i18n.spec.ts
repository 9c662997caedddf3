import { HOSTED_PAGES_CATALOGUES, missingKeys, registerCatalogue, translator } from './i18n';
import { resolveLocale, SUPPORTED_LOCALES } from './locales';

describe('resolveLocale', () => {
  it('prefers ui_locales, in its order, skipping languages without a catalogue', () => {
    expect(resolveLocale('ja fr-CA de', 'de', 'en')).toBe('fr');
  });

  it("falls back to the user's locale, then Accept-Language by quality, then English", () => {
    expect(resolveLocale(undefined, 'de-AT', 'fr')).toBe('de');
    expect(resolveLocale('', null, 'ja, en;q=0.5, fr;q=0.8')).toBe('fr');
    expect(resolveLocale(null, 'pt', 'fr;q=0, it')).toBe('en');
    expect(resolveLocale()).toBe('en');
  });
});

describe('catalogues', () => {
  it.each(SUPPORTED_LOCALES.filter((l) => l !== 'en'))('%s has every English key, and no stray one', (locale) => {
    expect(missingKeys(HOSTED_PAGES_CATALOGUES.en, HOSTED_PAGES_CATALOGUES[locale])).toEqual([]);
    expect(missingKeys(HOSTED_PAGES_CATALOGUES[locale], HOSTED_PAGES_CATALOGUES.en)).toEqual([]);
  });

  it('translates with interpolation, unescaped (the templates escape)', () => {
    expect(translator('de')('login.signInWith', { provider: 'A & B' })).toBe('Mit A & B anmelden');
    expect(translator('fr')('login.title')).toBe('Connexion');
  });

  it('serves namespaces registered by other features, falling back to English for a missing key', () => {
    registerCatalogue('spec', {
      en: { hello: 'Hello {{name}}', only: 'English only' },
      de: { hello: 'Hallo {{name}}' },
      fr: { hello: 'Bonjour {{name}}' },
    });
    expect(translator('de', 'spec')('hello', { name: 'Ada' })).toBe('Hallo Ada');
    expect(translator('fr', 'spec')('only')).toBe('English only');
  });
});
