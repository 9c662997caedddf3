import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AuditEntry } from '../audit/audit-entry.entity';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { EventRecorder } from '../events/event-recorder';
import { EventTypes, userEvent } from '../events/identity-events';
import { MfaFactor } from '../mfa/mfa-factor.entity';
import { RecoveryCode } from '../mfa/recovery-code.entity';
import { PasskeyView } from '../passkeys/dto/passkey.dto';
import { PasskeysRepository } from '../passkeys/passkeys.repository';
import { RolesRepository } from '../roles/roles.repository';
import { UserView } from '../users/dto/user.dto';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';

export interface PersonalDataExport {
  exportedAt: string;
  account: UserView;
  roles: { id: string; name: string; permissions: string[] }[];
  mfa: { totpEnrolled: boolean; enrolledAt: Date | null; recoveryCodesLeft: number };
  /** Names and dates only: credential ids and public keys are key material, not the user's data. */
  passkeys: { name: string; createdAt: Date; lastUsedAt: Date | null; synced: boolean }[];
  auditTrail: Pick<AuditEntry, 'action' | 'actor' | 'ip' | 'createdAt' | 'details'>[];
}

/** GDPR art. 15/20: everything held about a user, as JSON; secrets and hashes are described, never exported. */
export class ExportPersonalDataQuery extends Query<PersonalDataExport> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

@QueryHandler(ExportPersonalDataQuery)
export class ExportPersonalDataHandler implements IQueryHandler<ExportPersonalDataQuery> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly passkeys: PasskeysRepository,
  ) {}

  async execute({ tenantId, userId }: ExportPersonalDataQuery): Promise<PersonalDataExport> {
    const user = await this.users.findById(tenantId, userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const manager = this.dataSource.manager;
    const [roles, factor, recoveryCodesLeft, passkeys, audit] = await Promise.all([
      this.roles.rolesOfUser(tenantId, userId),
      manager.findOneBy(MfaFactor, { userId }),
      manager.countBy(RecoveryCode, { userId, usedAt: IsNull() }),
      this.passkeys.ofUser(tenantId, userId),
      manager.find(AuditEntry, {
        where: [{ targetId: userId }, { actor: userId }],
        order: { id: 'ASC' },
        take: 10_000,
      }),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      account: UserView.of(user),
      roles: roles.map(({ id, name, permissions }) => ({ id, name, permissions })),
      mfa: { totpEnrolled: !!factor?.confirmedAt, enrolledAt: factor?.confirmedAt ?? null, recoveryCodesLeft },
      passkeys: passkeys.map((p) => {
        const { name, createdAt, lastUsedAt, synced } = PasskeyView.of(p);
        return { name, createdAt, lastUsedAt, synced };
      }),
      auditTrail: audit.map(({ action, actor, ip, createdAt, details }) => ({ action, actor, ip, createdAt, details })),
    };
  }
}

/**
 * GDPR art. 17: erases a user's personal data and credentials. The row stays, pseudonymous,
 * so the audit trail keeps pointing at "a user that existed"; nothing identifies them.
 */
export class EraseUserCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly actor: string | null,
  ) {
    super();
  }
}

@CommandHandler(EraseUserCommand)
export class EraseUserHandler implements ICommandHandler<EraseUserCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, actor }: EraseUserCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findById(tenantId, userId, manager);
      if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
      for (const table of [
        'mfa_factors',
        'recovery_codes',
        'passkeys',
        'passkey_challenges',
        'password_history',
        'email_tokens',
        'user_roles',
      ]) {
        await manager.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]);
      }
      const pseudonym = `erased-${userId}@erased.invalid`;
      await manager.update(
        User,
        { id: userId },
        {
          email: pseudonym,
          emailCanonical: pseudonym,
          emailVerified: false,
          username: null,
          usernameCanonical: null,
          profile: {},
          attributes: {},
          passwordHash: null,
          statusReason: null,
          status: 'deleted',
          deletedAt: user.deletedAt ?? new Date(),
        },
      );
      await this.events.record(manager, [userEvent(EventTypes.userDeleted, user, { erased: true, actor })]);
    });
  }
}
