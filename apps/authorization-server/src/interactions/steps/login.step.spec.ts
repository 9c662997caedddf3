import { SecurityEventTypes } from '@platform/contracts';
import { alertOf, interactionPage, PASSWORD, request, response, stepsUnderTest } from './steps.spec-helper';

describe('LoginStep', () => {
  const submit = (
    steps: ReturnType<typeof stepsUnderTest>,
    login: string,
    password: string,
    page = interactionPage(),
  ) => steps.login.submit(request(), response(), page, { login, password }, '127.0.0.1');

  it('signs in with the right password and records the success', async () => {
    const steps = stepsUnderTest();
    expect(await submit(steps, 'ada@acme.example', PASSWORD)).toBeNull();
    expect(steps.finished).toEqual([{ login: expect.objectContaining({ accountId: 'u-ada', amr: ['pwd'] }) }]);
    expect(steps.events.map((e) => e.type)).toEqual([SecurityEventTypes.loginSucceeded]);
  });

  it('answers unknown users and wrong passwords alike (401, one sentence), and counts the failure', async () => {
    const steps = stepsUnderTest();
    const unknown = await submit(steps, 'nobody@acme.example', PASSWORD);
    const wrong = await submit(steps, 'ada@acme.example', 'wrong');
    expect([unknown?.status, wrong?.status]).toEqual([401, 401]);
    expect(alertOf(unknown)).toBe(alertOf(wrong));
    expect(alertOf(wrong)).toBe('The email, username or password is not correct.');
    expect(steps.events.filter((e) => e.type === SecurityEventTypes.loginFailed)).toHaveLength(2);
  });

  it('tells a locked account so, after the right password, with the reset path of its tenant', async () => {
    const page = await submit(stepsUnderTest(), 'locked@acme.example', PASSWORD);
    expect(alertOf(page)).toMatch(/temporarily locked/);
    expect(page?.body).toMatch(
      /<a href="\/account\/forgot-password\?tenant=acme&amp;return=%2Finteraction%2Fuid-1">Reset your password<\/a>/,
    );
  });

  it('keeps the second factor pending server-side and shows the MFA page', async () => {
    const page = interactionPage();
    const shown = await submit(stepsUnderTest(), 'mfa@acme.example', PASSWORD, page);
    expect(page.persisted).toEqual([
      { pendingMfa: expect.objectContaining({ userId: 'u-mfa', methods: ['totp', 'recovery_code'] }) },
    ]);
    expect(shown?.body).toContain('action="/interaction/uid-1/mfa"');
  });

  it('refuses empty and over-long input without asking the backend', async () => {
    const steps = stepsUnderTest();
    expect((await submit(steps, '', ''))?.status).toBe(400);
    expect((await submit(steps, 'x'.repeat(400), PASSWORD))?.status).toBe(401);
    expect(steps.identity.credentialRequests).toHaveLength(0);
  });

  it('shows "Forgot password?", "Create account" and, with a session, who is signed in and "Not you?"', async () => {
    const steps = stepsUnderTest();
    const shown = await steps.login.show(interactionPage({ accountId: 'u-ada' }));
    expect(shown.body).toContain('href="/account/forgot-password?tenant=acme&amp;return=%2Finteraction%2Fuid-1"');
    expect(shown.body).toContain('href="/account/sign-up?tenant=acme&amp;return=%2Finteraction%2Fuid-1"');
    expect(shown.body).toContain('Signed in as ada@acme.example');
    expect(shown.body).toContain('href="/interaction/uid-1?switch=1"');
    const switching = await steps.login.show(interactionPage({ accountId: 'u-ada' }), true);
    expect(switching.body).not.toContain('Signed in as');
  });

  it('speaks the language of the request', async () => {
    const page = await submit(stepsUnderTest(), 'ada@acme.example', 'wrong', interactionPage({ locale: 'fr' }));
    expect(alertOf(page)).toBe('L’adresse e-mail, le nom d’utilisateur ou le mot de passe est incorrect.');
  });
});
