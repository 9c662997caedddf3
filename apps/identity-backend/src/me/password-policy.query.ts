import { type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ApiProperty } from '@nestjs/swagger';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { MAX_PASSWORD_LENGTH, type PasswordPolicy } from '../credentials/password-policy';
import { resolveTenantSettings } from '../tenants/tenant-settings';
import { TenantsRepository } from '../tenants/tenants.repository';

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

/** The password policy of the signed-in user's tenant (the account console's password change lists it). */
export class MyPasswordPolicyQuery extends Query<PasswordPolicyView> {
  constructor(readonly tenantId: string) {
    super();
  }
}

@QueryHandler(MyPasswordPolicyQuery)
export class MyPasswordPolicyHandler implements IQueryHandler<MyPasswordPolicyQuery> {
  constructor(private readonly tenants: TenantsRepository) {}

  async execute({ tenantId }: MyPasswordPolicyQuery): Promise<PasswordPolicyView> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
    return PasswordPolicyView.of(resolveTenantSettings(tenant.settings).passwordPolicy);
  }
}
