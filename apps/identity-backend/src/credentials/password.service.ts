import { Injectable } from '@nestjs/common';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { PasswordHasher } from './password-hasher';
import { passwordViolations, type PasswordPolicy } from './password-policy';

/** Turns a candidate password into a stored hash, or a 422 saying which rules it breaks. */
@Injectable()
export class PasswordService {
  constructor(private readonly hasher: PasswordHasher) {}

  async hashNewPassword(
    password: string,
    policy: PasswordPolicy,
    context: { email?: string; username?: string | null },
  ): Promise<string> {
    const violations = passwordViolations(password, policy, context);
    if (violations.length > 0) {
      throw new IdentityError(IdentityErrorCode.WeakPassword, 'The password does not meet the password policy', {
        violations,
        minLength: policy.minLength,
      });
    }
    return this.hasher.hash(password);
  }
}
