import { IdentityInternalError } from '@platform/contracts';
import { pageI18n } from '../interactions/pages/layout';
import {
  interactionPage,
  PASSWORD,
  request,
  response,
  stepsUnderTest,
  TENANT_ID,
} from '../interactions/steps/steps.spec-helper';
import { policyList, violationMessages, violationsOf } from './password-policy';
import { selfServiceText } from './self-service.pages';

const policy = { minLength: 12, maxLength: 256, historySize: 5, commonPasswordCheck: true, userIdentifierCheck: true };
const s = selfServiceText(pageI18n({ uiLocales: 'en' }));

describe('the password policy list', () => {
  it('states every rule before anything is submitted; history only where a password is replaced', () => {
    const signUp = policyList(policy, s, { field: 'password', forChange: false });
    expect(signUp.rules.map((r) => [r.rule, r.broken])).toEqual([
      ['length', false],
      ['common', false],
      ['personal', false],
      ['characters', false],
    ]);
    expect(signUp.rules[0]!.text).toBe('At least 12 characters (up to 256)');
    const change = policyList(policy, s, { field: 'newPassword', forChange: true, violations: ['common_password'] });
    expect(change.rules.find((r) => r.rule === 'history')?.text).toBe('Not one of your last 5 passwords');
    expect(change.rules.filter((r) => r.broken).map((r) => r.rule)).toEqual(['common']);
    expect(change.id).toBe('newPassword-policy');
  });

  it('says one message per broken rule, from the backend’s codes', () => {
    const violations = violationsOf('weak_password', { violations: ['too_short', 'common_password', 'nonsense'] });
    expect(violations).toEqual(['too_short', 'common_password']);
    expect(violationMessages(violations, policy, s)).toEqual([
      'The password is shorter than 12 characters.',
      'This password is too common or known from a data breach: choose another.',
    ]);
    expect(violationsOf('password_reused')).toEqual(['password_reused']);
    expect(violationsOf('weak_password')).toEqual([]);
  });

  it('is on the sign-in’s password-change page, with the broken rules marked after a refusal', async () => {
    const steps = stepsUnderTest();
    const pending = { userId: 'u-ada', tenantId: TENANT_ID, amr: ['pwd'] };
    expect((await steps.passwordChange.show(interactionPage())).body).toContain('Not one of your last 5 passwords');
    steps.identity.changePassword = async () => {
      throw new IdentityInternalError('weak_password', 'weak', undefined, {
        violations: ['too_short', 'contains_user_identifier'],
      });
    };
    const form = { currentPassword: PASSWORD, newPassword: 'ada1', confirmPassword: 'ada1' };
    const page = await steps.passwordChange.submit(request(), response(), interactionPage(), pending, form);
    expect(page?.status).toBe(400);
    expect(page?.body).toContain('The password is shorter than 12 characters.');
    expect(page?.body).toContain('The password contains your email name or username.');
    expect(page?.body.match(/policy-broken/g)).toHaveLength(2);
    expect(page?.body).toContain('minlength="12"');
  });
});
