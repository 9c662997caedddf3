import { DEFAULT_PASSWORD_POLICY, MAX_PASSWORD_LENGTH, passwordViolations } from './password-policy';

describe('passwordViolations', () => {
  const policy = DEFAULT_PASSWORD_POLICY;

  it('accepts a long passphrase with no composition rules', () => {
    expect(passwordViolations('all lowercase words here', policy)).toEqual([]);
  });

  it('requires the minimum length (default 12), counted in characters', () => {
    expect(passwordViolations('short pass1', policy)).toEqual(['too_short']);
    expect(passwordViolations('ééééééééééé', policy)).toContain('too_short'); // 11 chars, 22 bytes
    expect(passwordViolations('short pass', { ...policy, minLength: 8 })).toEqual([]);
  });

  it('accepts 128 characters and more, up to the cap', () => {
    expect(passwordViolations('x'.repeat(128) + 'y', policy)).toEqual([]);
    expect(passwordViolations('z'.repeat(MAX_PASSWORD_LENGTH + 1), policy)).toContain('too_long');
  });

  it('rejects common breached passwords regardless of case', () => {
    expect(passwordViolations('password1234', policy)).toContain('common_password');
    expect(passwordViolations('PASSWORD1234', policy)).toContain('common_password');
    expect(passwordViolations('password', { ...policy, minLength: 8 })).toEqual(['common_password']);
  });

  it('rejects passwords built from the user identifier', () => {
    expect(passwordViolations('jonathan.smith-2024!', policy, { email: 'jonathan.smith@example.com' })).toEqual([
      'contains_user_identifier',
    ]);
  });
});
