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
