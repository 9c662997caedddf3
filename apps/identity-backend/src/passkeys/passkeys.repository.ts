import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { affectedAny, affectedRows } from '@platform/database';
import { Clock } from '@platform/runtime';
import { DataSource, type EntityManager } from 'typeorm';
import { canonicalEmail } from '../common/email';
import { User } from '../users/user.entity';
import { Passkey, type PasskeyCeremony, PasskeyChallenge } from './passkey.entity';

/** How long a ceremony's challenge may be answered. */
export const CHALLENGE_TTL_SECONDS = 300;

/** Every method takes the tenant first: a passkey is never looked up across tenants. */
@Injectable()
export class PasskeysRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The user's passkeys; `forUpdate` (in a transaction) locks them until it ends, so two removals cannot both see a spare. */
  ofUser(
    tenantId: string,
    userId: string,
    manager: EntityManager = this.dataSource.manager,
    forUpdate = false,
  ): Promise<Passkey[]> {
    return manager.find(Passkey, {
      where: { tenantId, userId },
      order: { createdAt: 'ASC' },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  findById(
    tenantId: string,
    userId: string,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Passkey | null> {
    return manager.findOneBy(Passkey, { tenantId, userId, id });
  }

  /** The tenant's user with that email address or username, as a password sign-in finds them. */
  userByLogin(tenantId: string, login: string): Promise<User | null> {
    const email = canonicalEmail(login);
    return this.dataSource.manager.findOneBy(
      User,
      email ? { tenantId, emailCanonical: email } : { tenantId, usernameCanonical: login.trim().toLowerCase() },
    );
  }

  findByCredentialId(tenantId: string, credentialId: string): Promise<Passkey | null> {
    return this.dataSource.manager.findOneBy(Passkey, { tenantId, credentialId });
  }

  insert(manager: EntityManager, passkey: Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'>): Promise<Passkey> {
    return manager.save(Passkey, Object.assign(new Passkey(), passkey));
  }

  async rename(tenantId: string, userId: string, id: string, name: string): Promise<boolean> {
    return affectedAny(await this.dataSource.manager.update(Passkey, { tenantId, userId, id }, { name }));
  }

  async delete(manager: EntityManager, passkey: Passkey): Promise<boolean> {
    return affectedAny(await manager.delete(Passkey, { tenantId: passkey.tenantId, id: passkey.id }));
  }

  /**
   * Records an accepted use. The counter only moves forward (0 stays 0 for authenticators without
   * one), in the UPDATE itself: of two concurrent uses of the same counter value, one loses.
   */
  async recordUse(passkey: Passkey, signCount: number, backedUp: boolean): Promise<boolean> {
    const result = await this.dataSource.query(
      `UPDATE passkeys SET sign_count = $3, backed_up = $4, last_used_at = now()
        WHERE tenant_id = $1 AND id = $2 AND (sign_count < $3 OR ($3 = 0 AND sign_count = 0))`,
      [passkey.tenantId, passkey.id, signCount, backedUp],
    );
    return affectedRows(result) === 1;
  }

  async saveChallenge(challenge: Omit<PasskeyChallenge, 'expiresAt' | 'tenant'>): Promise<void> {
    await this.dataSource.manager.insert(PasskeyChallenge, {
      ...challenge,
      expiresAt: new Date(this.clock.nowMs() + CHALLENGE_TTL_SECONDS * 1000),
    });
  }

  /** Uses up a live challenge of this tenant and ceremony: a second answer to it finds nothing. */
  async consumeChallenge(
    tenantId: string,
    purpose: PasskeyCeremony,
    challenge: string,
  ): Promise<PasskeyChallenge | null> {
    const [rows] = await this.dataSource.query(
      `DELETE FROM passkey_challenges
        WHERE challenge = $1 AND tenant_id = $2 AND purpose = $3 AND expires_at > now()
        RETURNING challenge, purpose, tenant_id AS "tenantId", user_id AS "userId", user_verification AS "userVerification"`,
      [challenge, tenantId, purpose],
    );
    return (rows as PasskeyChallenge[])[0] ?? null;
  }
}
