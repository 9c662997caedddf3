import { TENANT_ID, alertOf, interactionPage, request, response, stepsUnderTest } from './steps.spec-helper';

const idp = {
  id: 'idp-1',
  tenantId: TENANT_ID,
  slug: 'corp',
  displayName: 'Corp SSO',
  issuer: 'https://corp.example',
  clientId: 'c',
  clientSecret: null,
  scopes: ['openid'],
  logoUrl: 'https://corp.example/logo.svg',
};

describe('FederationStep', () => {
  it('shows a "Sign in with" button with the IdP name and logo on the login page', async () => {
    const steps = stepsUnderTest();
    steps.idps.push(idp);
    const shown = await steps.login.show(interactionPage());
    expect(shown.body).toContain(
      'href="/interaction/uid-1/federated/corp"><img src="https://corp.example/logo.svg" alt="">Sign in with Corp SSO</a>',
    );
  });

  it('keeps state, nonce and PKCE in the interaction and redirects upstream', async () => {
    const steps = stepsUnderTest();
    steps.idps.push(idp);
    const page = interactionPage();
    const out = await steps.federationStep.start(page, 'corp');
    expect([out.status, out.headers.location]).toEqual([303, 'https://idp.example/authorize?state=uid-1']);
    expect(page.persisted).toEqual([{ pendingFederation: expect.objectContaining({ providerId: 'idp-1' }) }]);
    expect((await steps.federationStep.start(page, 'unknown')).status).toBe(404);
  });

  it('signs in the linked user on the way back, and explains when none is linked', async () => {
    const steps = stepsUnderTest();
    steps.idps.push(idp);
    const pending = { providerId: 'idp-1', state: 'uid-1.s', nonce: 'n', verifier: 'v' };
    const unlinked = await steps.federationStep.finish(
      request(),
      response(),
      interactionPage(),
      pending,
      'state=uid-1.s&code=x',
    );
    expect([unlinked?.status, alertOf(unlinked)]).toEqual([403, expect.stringMatching(/no account here/)]);
    steps.identity.links.set('idp-1:upstream-1', 'u-ada');
    expect(
      await steps.federationStep.finish(request(), response(), interactionPage(), pending, 'state=uid-1.s&code=x'),
    ).toBeNull();
    expect(steps.finished).toEqual([{ login: expect.objectContaining({ accountId: 'u-ada', amr: ['fed'] }) }]);
    const forged = await steps.federationStep.finish(request(), response(), interactionPage(), pending, 'state=other');
    expect(forged?.status).toBe(400);
  });
});
