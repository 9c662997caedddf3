import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PasskeyAssertionJSON } from '@platform/contracts';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { LockoutService } from '../../credentials/lockout.service';
import { TenantsRepository } from '../../tenants/tenants.repository';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { UsersRepository } from '../../users/users.repository';
import { MfaFactors } from '../mfa-factors';
import { matchingStep } from '../totp';
import { assertPasskeysAllowed, PasskeyCeremonies } from '../../passkeys/passkey-ceremonies';

export type MfaMethod = 'totp' | 'recovery_code' | 'passkey';

export class VerifyMfaCommand extends Command<{ amr: string[] }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly method: MfaMethod,
    readonly code: string,
    /** method passkey: the assertion (the code is unused). */
    readonly passkey?: PasskeyAssertionJSON,
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
    private readonly passkeys: PasskeyCeremonies,
  ) {}

  async execute({ tenantId, userId, method, code, passkey }: VerifyMfaCommand): Promise<{ amr: string[] }> {
    if (method === 'passkey') return this.verifyPasskey(tenantId, userId, passkey);
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

  /** A passkey of this user after their password: the key is the second factor, verified or not. */
  private async verifyPasskey(
    tenantId: string,
    userId: string,
    passkey: PasskeyAssertionJSON | undefined,
  ): Promise<{ amr: string[] }> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || !passkey) throw invalidCode();
    assertPasskeysAllowed(tenant);
    const { amr } = await this.passkeys.verifyAuthentication(tenant, passkey, userId);
    await this.lockout.recordSuccess(userId);
    return { amr: ['pwd', amr[0]!, 'mfa'] };
  }
}

const invalidCode = () => new IdentityError(IdentityErrorCode.InvalidMfaCode, 'The code is not valid');
