import { alertOf, interactionPage, request, response, stepsUnderTest, TENANT_ID } from './steps.spec-helper';

const pending = { userId: 'u-mfa', tenantId: TENANT_ID, methods: ['totp', 'recovery_code'] };

describe('MfaStep', () => {
  it('completes the sign-in with the right code (pwd + otp)', async () => {
    const steps = stepsUnderTest();
    expect(await steps.mfa.submit(request(), response(), interactionPage(), pending, '123 456')).toBeNull();
    expect(steps.finished).toEqual([{ login: expect.objectContaining({ accountId: 'u-mfa', amr: ['pwd', 'otp'] }) }]);
  });

  it('refuses a wrong code (401, counted) and an empty one (400)', async () => {
    const steps = stepsUnderTest();
    const wrong = await steps.mfa.submit(request(), response(), interactionPage(), pending, '000000');
    expect([wrong?.status, alertOf(wrong)]).toEqual([401, 'That code is not valid. Try again.']);
    expect(steps.events.map((e) => e.data.reason)).toEqual(['invalid_mfa_code']);
    expect((await steps.mfa.submit(request(), response(), interactionPage(), pending, ' '))?.status).toBe(400);
  });

  it('links to the recovery code with an absolute URL (the page also answers POST …/login)', async () => {
    const shown = await stepsUnderTest().mfa.show(interactionPage());
    expect(shown.body).toContain('href="/interaction/uid-1?recovery=1"');
    expect(shown.body).toContain('inputmode="numeric"');
  });
});
