import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { toDataURL } from 'qrcode';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import { existingUser, UsersRepository } from '../../users/users.repository';
import { MfaFactors } from '../mfa-factors';
import { matchingStep, newTotpSecret, otpauthUri } from '../totp';

export interface TotpEnrollment {
  /** For manual entry; shown once, never again. */
  secret: string;
  otpauthUri: string;
  /** PNG data URL of the otpauth URI for authenticator apps. */
  qrCode: string;
}

async function activeUser(
  users: UsersRepository,
  tenantId: string,
  userId: string,
  manager?: EntityManager,
): Promise<User> {
  return existingUser(await users.findById(tenantId, userId, manager));
}

/** Checks a current TOTP code of a confirmed factor and burns its time step (a code works once). */
async function requireCurrentCode(
  mfa: MfaFactors,
  manager: EntityManager,
  userId: string,
  code: string,
): Promise<void> {
  const factor = await mfa.confirmedTotp(userId, manager);
  if (!factor) throw new IdentityError(IdentityErrorCode.MfaNotEnabled, 'No authenticator app is enrolled');
  const step = matchingStep(mfa.openSecret(factor), code);
  if (step === null || !(await mfa.claimStep(manager, factor.id, step))) {
    throw new IdentityError(IdentityErrorCode.InvalidMfaCode, 'The code is not valid');
  }
}

export class StartTotpEnrollmentCommand extends Command<TotpEnrollment> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@CommandHandler(StartTotpEnrollmentCommand)
export class StartTotpEnrollmentHandler implements ICommandHandler<StartTotpEnrollmentCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly mfa: MfaFactors,
  ) {}

  async execute({ tenantId, userId }: StartTotpEnrollmentCommand): Promise<TotpEnrollment> {
    const user = await activeUser(this.users, tenantId, userId);
    const tenant = await this.tenants.findById(tenantId);
    const secret = newTotpSecret();
    await this.dataSource.transaction(async (manager) => {
      const existing = await this.mfa.totpFactor(userId, manager);
      if (existing?.confirmedAt)
        throw new IdentityError(IdentityErrorCode.MfaAlreadyEnabled, 'An authenticator app is already enrolled');
      await this.mfa.startTotp(manager, userId, secret, existing);
    });
    const uri = otpauthUri(secret, tenant?.displayName ?? 'Identity Platform', user.email);
    return {
      secret,
      otpauthUri: uri,
      qrCode: await toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 }),
    };
  }
}

export class ConfirmTotpCommand extends Command<{ recoveryCodes: string[] }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly code: string,
  ) {
    super();
  }
}

/** The first valid code proves the app holds the secret: the factor becomes active and recovery codes are issued. */
@CommandHandler(ConfirmTotpCommand)
export class ConfirmTotpHandler implements ICommandHandler<ConfirmTotpCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly mfa: MfaFactors,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, code }: ConfirmTotpCommand): Promise<{ recoveryCodes: string[] }> {
    const user = await activeUser(this.users, tenantId, userId);
    return this.dataSource.transaction(async (manager) => {
      const factor = await this.mfa.totpFactor(userId, manager);
      if (!factor) throw new IdentityError(IdentityErrorCode.MfaNotEnabled, 'Start the enrollment first');
      if (factor.confirmedAt)
        throw new IdentityError(IdentityErrorCode.MfaAlreadyEnabled, 'An authenticator app is already enrolled');
      const step = matchingStep(this.mfa.openSecret(factor), code);
      if (step === null || !(await this.mfa.claimStep(manager, factor.id, step))) {
        throw new IdentityError(IdentityErrorCode.InvalidMfaCode, 'The code is not valid');
      }
      await this.mfa.confirmTotp(manager, factor, new Date());
      const recoveryCodes = await this.mfa.issueRecoveryCodes(manager, userId);
      await this.events.record(manager, [userEvent(EventTypes.userMfaEnabled, user, { method: 'totp' })]);
      return { recoveryCodes };
    });
  }
}

export class RegenerateRecoveryCodesCommand extends Command<{ recoveryCodes: string[] }> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly code: string,
  ) {
    super();
  }
}

@CommandHandler(RegenerateRecoveryCodesCommand)
export class RegenerateRecoveryCodesHandler implements ICommandHandler<RegenerateRecoveryCodesCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly mfa: MfaFactors,
  ) {}

  async execute({ tenantId, userId, code }: RegenerateRecoveryCodesCommand): Promise<{ recoveryCodes: string[] }> {
    await activeUser(this.users, tenantId, userId);
    return this.dataSource.transaction(async (manager) => {
      await requireCurrentCode(this.mfa, manager, userId, code);
      return { recoveryCodes: await this.mfa.issueRecoveryCodes(manager, userId) };
    });
  }
}

export class RemoveMfaCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    /** The user removing their own factor must prove possession; an administrator's reset passes null. */
    readonly code: string | null,
    readonly actor: string | null,
  ) {
    super();
  }
}

@CommandHandler(RemoveMfaCommand)
export class RemoveMfaHandler implements ICommandHandler<RemoveMfaCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly mfa: MfaFactors,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, code, actor }: RemoveMfaCommand): Promise<void> {
    const user = await activeUser(this.users, tenantId, userId);
    await this.dataSource.transaction(async (manager) => {
      if (code !== null) await requireCurrentCode(this.mfa, manager, userId, code);
      if (await this.mfa.remove(manager, userId)) {
        await this.events.record(manager, [userEvent(EventTypes.userMfaDisabled, user, { method: 'totp', actor })]);
      }
    });
  }
}
