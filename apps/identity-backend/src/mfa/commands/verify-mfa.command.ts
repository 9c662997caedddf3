import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { LockoutService } from '../../credentials/lockout.service';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { UsersRepository } from '../../users/users.repository';
import { MfaFactors } from '../mfa-factors';
import { matchingStep } from '../totp';

export type MfaMethod = 'totp' | 'recovery_code';

export class VerifyMfaCommand extends Command<{ amr: string[] }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly method: MfaMethod,
    readonly code: string,
  ) {
    super();
  }
}

/**
 * Second step of a sign-in. A TOTP code is accepted once (its time step is burnt);
 * a recovery code is used up. Failures count towards the same account lockout as
 * passwords, which bounds TOTP guessing.
 */
@CommandHandler(VerifyMfaCommand)
export class VerifyMfaHandler implements ICommandHandler<VerifyMfaCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly mfa: MfaFactors,
    private readonly lockout: LockoutService,
  ) {}

  async execute({ tenantId, userId, method, code }: VerifyMfaCommand): Promise<{ amr: string[] }> {
    const user = await this.users.findById(tenantId, userId);
    const factor = user ? await this.mfa.confirmedTotp(user.id) : null;
    if (!user || !factor || user.status !== 'active' || this.lockout.isLocked(user)) throw invalidCode();

    const accepted = await this.dataSource.transaction(async (manager) => {
      if (method === 'recovery_code') return this.mfa.consumeRecoveryCode(manager, user.id, code);
      const step = matchingStep(this.mfa.openSecret(factor), code);
      return step !== null && this.mfa.claimStep(manager, factor.id, step);
    });
    if (!accepted) {
      const tenant = await this.tenants.findById(tenantId);
      await this.lockout.recordFailure(user, resolveTenantSettings(tenant?.settings ?? {}).lockoutPolicy, 'mfa');
      throw invalidCode();
    }
    await this.lockout.recordSuccess(user.id);
    return { amr: ['pwd', method === 'totp' ? 'otp' : 'mfa'] };
  }
}

const invalidCode = () => new IdentityError(IdentityErrorCode.InvalidMfaCode, 'The code is not valid');
