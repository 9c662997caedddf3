import { alertOf, interactionPage, PASSWORD, request, response, stepsUnderTest, TENANT_ID } from './steps.spec-helper';

const pending = { userId: 'u-ada', tenantId: TENANT_ID, amr: ['pwd'] };
const form = (currentPassword: string, newPassword: string, confirmPassword = newPassword) => ({
  currentPassword,
  newPassword,
  confirmPassword,
});

describe('PasswordChangeStep', () => {
  it('replaces the temporary password, then completes the sign-in', async () => {
    const steps = stepsUnderTest();
    const next = 'a new and long passphrase';
    expect(
      await steps.passwordChange.submit(request(), response(), interactionPage(), pending, form(PASSWORD, next)),
    ).toBeNull();
    expect(steps.identity.users.get('u-ada')?.password).toBe(next);
    expect(steps.finished).toHaveLength(1);
  });

  it.each([
    ['a mismatch', form(PASSWORD, 'a new and long passphrase', 'another one'), 400, 'The new passwords do not match.'],
    [
      'a wrong current password',
      form('wrong', 'a new and long passphrase'),
      401,
      'The current password is not correct.',
    ],
    ['a weak password', form(PASSWORD, 'short'), 400, 'This password is too weak or too common. Choose a longer one.'],
    ['an empty field', form('', ''), 400, 'Fill in every field.'],
  ])('refuses %s with a sentence', async (_case, submitted, status, message) => {
    const steps = stepsUnderTest();
    const page = await steps.passwordChange.submit(request(), response(), interactionPage(), pending, submitted);
    expect([page?.status, alertOf(page)]).toEqual([status, message]);
    expect(steps.finished).toHaveLength(0);
  });
});
