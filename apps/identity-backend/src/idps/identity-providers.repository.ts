import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Keyring } from '@platform/crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';
import { KEYRING } from '../common/tokens';
import { User } from '../users/user.entity';
import { ExternalIdentity } from './external-identity.entity';
import { IdentityProvider } from './identity-provider.entity';

/** Tenant-scoped access to IdP configurations; client secrets are sealed to their IdP row. */
@Injectable()
export class IdentityProvidersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  async get(tenantId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<IdentityProvider> {
    const idp = await manager.findOneBy(IdentityProvider, { tenantId, id });
    if (!idp) throw new IdentityError(IdentityErrorCode.IdpNotFound, 'Identity provider not found');
    return idp;
  }

  /** A user's linked external accounts, oldest first; 404 for a user who is not in the tenant. */
  async externalIdentitiesOf(tenantId: string, userId: string): Promise<ExternalIdentity[]> {
    if (!(await this.dataSource.manager.existsBy(User, { tenantId, id: userId }))) {
      throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    }
    return this.dataSource.manager.find(ExternalIdentity, {
      where: { userId },
      relations: { provider: true },
      order: { linkedAt: 'ASC' },
    });
  }

  save(manager: EntityManager, idp: IdentityProvider): Promise<IdentityProvider> {
    return manager.save(IdentityProvider, idp);
  }

  /** Its account links go with it (ON DELETE CASCADE). */
  async delete(manager: EntityManager, idp: IdentityProvider): Promise<void> {
    await manager.delete(IdentityProvider, { tenantId: idp.tenantId, id: idp.id });
  }

  /** The link of an upstream account at a provider already found in its tenant. */
  linkOf(
    idp: Pick<IdentityProvider, 'id'>,
    subject: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ExternalIdentity | null> {
    return manager.findOneBy(ExternalIdentity, { providerId: idp.id, subject });
  }

  async link(
    manager: EntityManager,
    idp: Pick<IdentityProvider, 'id'>,
    link: Pick<ExternalIdentity, 'userId' | 'subject' | 'email'>,
  ): Promise<void> {
    await manager.insert(ExternalIdentity, { ...link, providerId: idp.id });
  }

  /**
   * Whether the tenant's user has a password, with the user row locked until the transaction
   * ends (two concurrent unlinks of a user's last two links must not both pass); null: no such user.
   */
  async lockUserForUnlink(
    manager: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<{ hasPassword: boolean } | null> {
    const [user]: { has_password: boolean }[] = await manager.query(
      `SELECT password_hash IS NOT NULL AS has_password FROM users WHERE id = $1 AND tenant_id = $2 FOR UPDATE`,
      [userId, tenantId],
    );
    return user ? { hasPassword: user.has_password } : null;
  }

  /** One link of the tenant's user. */
  userLink(manager: EntityManager, tenantId: string, userId: string, linkId: string): Promise<ExternalIdentity | null> {
    return manager
      .createQueryBuilder(ExternalIdentity, 'e')
      .innerJoin('e.user', 'u')
      .where('e.id = :linkId AND e.user_id = :userId AND u.tenant_id = :tenantId', { linkId, userId, tenantId })
      .getOne();
  }

  /** How many accounts a user (already found in the tenant) has linked. */
  linkCount(manager: EntityManager, user: { id: string; tenantId: string }): Promise<number> {
    return manager.countBy(ExternalIdentity, { userId: user.id });
  }

  async unlink(manager: EntityManager, link: ExternalIdentity): Promise<void> {
    await manager.delete(ExternalIdentity, { id: link.id, userId: link.userId });
  }

  list(tenantId: string, onlyEnabled = false): Promise<IdentityProvider[]> {
    return this.dataSource.manager.find(IdentityProvider, {
      where: onlyEnabled ? { tenantId, enabled: true } : { tenantId },
      order: { slug: 'ASC' },
    });
  }

  sealSecret(idpId: string, secret: string): string {
    return this.keyring.seal(secret, `idp:${idpId}`);
  }

  openSecret(idp: IdentityProvider): string | null {
    return idp.clientSecretSealed === null ? null : this.keyring.open(idp.clientSecretSealed, `idp:${idp.id}`);
  }
}
