import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuditEntry } from '../audit/audit-entry.entity';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { EventRecorder } from '../events/event-recorder';
import { EventTypes, userEvent } from '../events/identity-events';
import { MfaFactors } from '../mfa/mfa-factors';
import { PasskeyView } from '../passkeys/dto/passkey.dto';
import { PasskeysRepository } from '../passkeys/passkeys.repository';
import { RolesRepository } from '../roles/roles.repository';
import { UserView } from '../users/dto/user.dto';
import { UsersRepository } from '../users/users.repository';
import { GdprRepository } from './gdpr.repository';

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
    private readonly users: UsersRepository,
    private readonly roles: RolesRepository,
    private readonly passkeys: PasskeysRepository,
    private readonly mfa: MfaFactors,
    private readonly gdpr: GdprRepository,
  ) {}

  async execute({ tenantId, userId }: ExportPersonalDataQuery): Promise<PersonalDataExport> {
    const user = await this.users.findById(tenantId, userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const [roles, mfa, passkeys, audit] = await Promise.all([
      this.roles.rolesOfUser(tenantId, userId),
      this.mfa.summaryOf(userId),
      this.passkeys.ofUser(tenantId, userId),
      this.gdpr.auditTrailOf(user),
    ]);
    return {
      exportedAt: new Date().toISOString(),
      account: UserView.of(user),
      roles: roles.map(({ id, name, permissions }) => ({ id, name, permissions })),
      mfa: { totpEnrolled: mfa.enrolledAt !== null, ...mfa },
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
    private readonly gdpr: GdprRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, actor }: EraseUserCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await this.users.findById(tenantId, userId, manager);
      if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
      await this.gdpr.erase(manager, user, user.deletedAt ?? new Date());
      await this.events.record(manager, [userEvent(EventTypes.userDeleted, user, { erased: true, actor })]);
    });
  }
}
