import { pageI18n } from './layout';
import { errorPage, loginPage } from './pages';
import { HOSTED_STYLESHEET_PATH } from './stylesheet';

const login = (extra: Partial<Parameters<typeof loginPage>[0]> = {}) =>
  loginPage({ action: '/interaction/u/login', csrf: 'tok', clientName: 'App', externalProviders: [], ...extra });

describe('hosted page layout', () => {
  it('escapes every value a template prints', () => {
    const page = login({ clientName: '<script>alert(1)</script>', loginHint: '"><img src=x>' });
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).not.toContain('"><img src=x>');
  });

  it('links the hashed stylesheet, keeps scripts out and allows only its own styles', () => {
    const page = login();
    expect(page.body).toContain(`<link rel="stylesheet" href="${HOSTED_STYLESHEET_PATH}">`);
    const csp = page.headers['content-security-policy']!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'self' 'nonce-[^']+'; img-src/);
    expect(csp).not.toContain('script-src');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it("adds a tenant's https stylesheet, and its origin alone to style-src; other schemes are dropped", () => {
    const branded = login({ branding: { name: 'Acme', customCssUrl: 'https://cdn.acme.example/theme.css?v=2' } });
    expect(branded.body).toContain('href="https://cdn.acme.example/theme.css?v=2"');
    expect(branded.headers['content-security-policy']).toContain("'nonce-");
    expect(branded.headers['content-security-policy']).toMatch(/style-src [^;]* https:\/\/cdn\.acme\.example;/);
    for (const customCssUrl of [
      'http://cdn.acme.example/a.css',
      'javascript:alert(1)',
      'https://u:p@x.example/a.css',
    ]) {
      const page = login({ branding: { name: 'Acme', customCssUrl } });
      expect(page.body).not.toContain(customCssUrl);
      expect(page.headers['content-security-policy']).not.toContain('acme');
    }
  });

  it("keeps a tenant's colour readable: dark text on a light accent, and no unreadable links", () => {
    const page = login({ branding: { name: 'Acme', primaryColor: '#ffe066', logoUrl: 'https://acme.example/l.png' } });
    expect(page.body).toContain('--accent:#ffe066;--accent-text:#111111;--link:#1f4fd1}');
    expect(page.body).toContain('@media (prefers-color-scheme: dark){:root{--link:#ffe066}}');
    expect(page.body).toContain('<img src="https://acme.example/l.png" alt="">');
    expect(login({ branding: { name: 'A', primaryColor: 'red;}body{' } }).body).toContain('--accent:#1f4fd1');
  });

  it('renders in the language asked for, with the html lang and a switcher when the page has one', () => {
    const i18n = pageI18n({ uiLocales: 'de', acceptLanguage: 'fr' }, (l) => `/interaction/u?lang=${l}`);
    const page = login({ i18n });
    expect(page.body).toContain('<html lang="de">');
    expect(page.body).toContain('<h1>Anmelden</h1>');
    expect(page.body).toContain('href="/interaction/u?lang=fr" lang="fr" hreflang="fr">Français</a>');
    expect(page.headers['content-language']).toBe('de');
    expect(pageI18n({ chosen: 'fr', uiLocales: 'de' }).locale).toBe('fr');
  });

  it('shows the technical code small under the human sentence', () => {
    const page = errorPage({ status: 400, title: 'T', message: 'Human sentence.', code: 'invalid_client' });
    expect(page.body).toMatch(/<p>Human sentence\.<\/p>\s*<p class="technical">Error code: invalid_client<\/p>/);
  });
});
