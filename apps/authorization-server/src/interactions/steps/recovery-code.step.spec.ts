import { interactionPage, request, response, stepsUnderTest, TENANT_ID } from './steps.spec-helper';

describe('RecoveryCodeStep', () => {
  it('shows the recovery-code form, which links back to the authenticator absolutely', async () => {
    const shown = await stepsUnderTest().recovery.show(interactionPage());
    expect(shown.body).toContain('<label for="code">Recovery code</label>');
    expect(shown.body).toContain('name="method" value="recovery_code"');
    expect(shown.body).toContain('href="/interaction/uid-1">Use your authenticator app instead');
  });

  it('verifies the code as a recovery code with the backend', async () => {
    const steps = stepsUnderTest();
    const verify = jest.spyOn(steps.identity, 'verifyMfa');
    const pending = { userId: 'u-mfa', tenantId: TENANT_ID, methods: ['recovery_code'] };
    expect(await steps.recovery.submit(request(), response(), interactionPage(), pending, '123456')).toBeNull();
    expect(verify).toHaveBeenCalledWith(expect.objectContaining({ method: 'recovery_code', userId: 'u-mfa' }));
  });
});
