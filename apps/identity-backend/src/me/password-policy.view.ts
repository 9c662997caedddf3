import { ApiProperty } from '@nestjs/swagger';
import { MAX_PASSWORD_LENGTH, type PasswordPolicy } from '../credentials/password-policy';

/** A tenant's whole password policy, as the forms that ask for a new password list it before submission. */
export class PasswordPolicyView {
  @ApiProperty() minLength!: number;
  @ApiProperty() maxLength!: number;
  @ApiProperty({ description: 'Previous passwords a change may not reuse' }) historySize!: number;
  @ApiProperty({ description: 'Refused when on the list of common and breached passwords' })
  commonPasswordCheck!: boolean;

  @ApiProperty({ description: "Refused when it contains the email's local part or the username" })
  userIdentifierCheck!: boolean;

  static of(policy: PasswordPolicy): PasswordPolicyView {
    return {
      minLength: policy.minLength,
      maxLength: MAX_PASSWORD_LENGTH,
      historySize: policy.historySize,
      // Every tenant's passwords are checked against both (credentials/password-policy.ts).
      commonPasswordCheck: true,
      userIdentifierCheck: true,
    };
  }
}
