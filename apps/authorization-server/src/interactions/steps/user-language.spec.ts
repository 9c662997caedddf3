import { interactionPage, PASSWORD, request, response, stepsUnderTest, TENANT_ID } from './steps.spec-helper';

const htmlLang = (body: string | undefined) => body?.match(/<html lang="([a-z]+)"/)?.[1];

describe('the steps after the password speak the user’s stored locale', () => {
  function withGreta() {
    const steps = stepsUnderTest();
    steps.identity.addUser({
      id: 'u-greta',
      tenantId: TENANT_ID,
      login: 'greta@acme.example',
      password: PASSWORD,
      totpCode: '123456',
      claims: { locale: 'de-DE' },
    });
    return steps;
  }
  /** A page whose request asked for nothing but what the browser accepts (English). */
  const englishBrowser = (uiLocales?: string) => ({
    ...interactionPage(uiLocales ? { locale: uiLocales } : {}),
    languageSources: { chosen: null, uiLocales, acceptLanguage: 'en-US,en;q=0.9' },
  });

  it('shows a German user the MFA page in German when the request has no ui_locales', async () => {
    const page = await withGreta().login.submit(
      request(),
      response(),
      englishBrowser(),
      { login: 'greta@acme.example', password: PASSWORD },
      '127.0.0.1',
    );
    expect(htmlLang(page?.body)).toBe('de');
    expect(page?.body).toContain('Bestätigung in zwei Schritten');
  });

  it('keeps ui_locales first, and the browser’s language for a user without a locale', async () => {
    const steps = withGreta();
    const login = (page: ReturnType<typeof englishBrowser>, who: string) =>
      steps.login.submit(request(), response(), page, { login: who, password: PASSWORD }, '127.0.0.1');
    expect(htmlLang((await login(englishBrowser('fr'), 'greta@acme.example'))?.body)).toBe('fr');
    expect(htmlLang((await login(englishBrowser(), 'mfa@acme.example'))?.body)).toBe('en');
  });
});
