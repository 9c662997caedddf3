import { interactionPage, request, response, stepsUnderTest } from './steps.spec-helper';

describe('ConsentStep', () => {
  const details = { missingOIDCScope: ['openid', 'email'] };

  it('names the client and each scope, in the language of the request', async () => {
    const shown = await stepsUnderTest().consent.show(interactionPage({ prompt: 'consent', details, locale: 'de' }));
    expect(shown.body).toContain('<strong>Acme App</strong> möchte:');
    expect(shown.body).toContain('<li>Ihre E-Mail-Adresse sehen</li>');
    expect(shown.body).toContain('action="/interaction/uid-1/consent"');
  });

  it('grants exactly the missing scopes and finishes the interaction', async () => {
    const steps = stepsUnderTest();
    const page = interactionPage({ prompt: 'consent', details, accountId: 'u-ada' });
    expect(await steps.consent.submit(request(), response(), page, 'u-ada')).toBeNull();
    expect(steps.grants).toEqual([{ scopes: ['openid email'], saved: true }]);
    expect(steps.finished).toEqual([{ consent: { grantId: 'grant-1' } }]);
  });

  it('"Deny" ends the request with access_denied', async () => {
    const steps = stepsUnderTest();
    await steps.consent.abort(request(), response());
    expect(steps.finished).toEqual([expect.objectContaining({ error: 'access_denied' })]);
  });
});
