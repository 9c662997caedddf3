import { IdentityInternalError, SecurityEventTypes } from '@platform/contracts';
import {
  TENANT_ID,
  alertOf,
  interactionPage,
  passkeyAssertion,
  request,
  response,
  stepsUnderTest,
} from './steps.spec-helper';

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

  describe('under the passkey policy required-for-admins (issue 16)', () => {
    const pending = { providerId: 'idp-1', state: 'uid-1.s', nonce: 'n', verifier: 'v' };
    /** u-ada, linked upstream, whom the backend answers as an administrator under the policy. */
    const administrator = (answer: 'passkey' | 'refused') => {
      const steps = stepsUnderTest();
      steps.idps.push(idp);
      steps.identity.links.set('idp-1:upstream-1', 'u-ada');
      steps.identity.passkeys.push({ credentialId: 'cred-ada', userId: 'u-ada' });
      const resolve = steps.identity.resolveExternalIdentity.bind(steps.identity);
      steps.identity.resolveExternalIdentity = async (asked) => {
        if (answer === 'refused') throw new IdentityInternalError('passkey_required', 'no passkey');
        return { ...(await resolve(asked)), mfaMethods: ['passkey'] };
      };
      return steps;
    };

    it('asks for the passkey after the upstream sign-in, and completes with amr fed + hwk + mfa', async () => {
      const steps = administrator('passkey');
      const page = interactionPage();
      const shown = await steps.federationStep.finish(request(), response(), page, pending, 'state=uid-1.s&code=x');
      expect(page.persisted).toEqual([
        { pendingMfa: { userId: 'u-ada', tenantId: TENANT_ID, methods: ['passkey'], firstFactor: ['fed'] } },
      ]);
      expect(shown?.status).toBe(200);
      expect(shown?.body).toContain('<input type="hidden" name="method" value="passkey">');
      expect(shown?.body).not.toContain('name="code"');
      expect(steps.finished).toEqual([]);

      const done = await steps.passkey.secondFactor(
        request(),
        response(),
        page,
        page.persisted[0]!.pendingMfa!,
        passkeyAssertion('cred-ada'),
      );
      expect(done).toBeNull();
      expect(steps.finished).toEqual([
        {
          login: expect.objectContaining({
            accountId: 'u-ada',
            amr: ['fed', 'hwk', 'mfa'],
            acr: expect.stringMatching(/phr$/),
          }),
        },
      ]);
      expect(steps.events).toEqual([
        expect.objectContaining({
          type: SecurityEventTypes.loginSucceeded,
          data: expect.objectContaining({ method: 'federated' }),
        }),
      ]);
    });

    it('shows the passkey_required page (403) to an administrator who holds none, as after a password', async () => {
      const steps = administrator('refused');
      const shown = await steps.federationStep.finish(
        request(),
        response(),
        interactionPage(),
        pending,
        'state=uid-1.s&code=x',
      );
      expect(shown?.status).toBe(403);
      expect(shown?.body).toContain('passkey_required');
      expect(shown?.body).toContain('Administrators of this organisation must sign in with a passkey');
      expect(steps.finished).toEqual([]);
    });
  });
});
