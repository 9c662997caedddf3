import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEntry } from '../audit/audit-entry.entity';
import { User } from '../users/user.entity';

/** Tables holding a user's credentials and factors: what an erasure deletes outright. */
const CREDENTIAL_TABLES = [
  'mfa_factors',
  'recovery_codes',
  'passkeys',
  'passkey_challenges',
  'password_history',
  'email_tokens',
  'user_roles',
] as const;

/** The audit trail of a personal-data export and the writes of an erasure, for a user already found in their tenant. */
@Injectable()
export class GdprRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** What the user did and what was done to them, oldest first. */
  auditTrailOf(user: Pick<User, 'id' | 'tenantId'>): Promise<AuditEntry[]> {
    return this.dataSource.manager.find(AuditEntry, {
      where: [{ targetId: user.id }, { actor: user.id }],
      order: { id: 'ASC' },
      take: 10_000,
    });
  }

  /**
   * Deletes the user's credentials and factors and leaves the row pseudonymous and deleted, so the
   * audit trail keeps pointing at "a user that existed" while nothing identifies them.
   */
  async erase(manager: EntityManager, user: Pick<User, 'id' | 'tenantId'>, deletedAt: Date): Promise<void> {
    for (const table of CREDENTIAL_TABLES) {
      await manager.query(`DELETE FROM ${table} WHERE user_id = $1`, [user.id]);
    }
    const pseudonym = `erased-${user.id}@erased.invalid`;
    await manager.update(
      User,
      { tenantId: user.tenantId, id: user.id },
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
        deletedAt,
      },
    );
  }
}
