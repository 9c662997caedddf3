import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { User, UserOwned } from '../users/user.entity';
import { IdentityProvider } from './identity-provider.entity';

/** A user's account at an upstream provider, linked to the local user. */
@Entity({ name: 'external_identities' })
@Index('UQ_external_identities_provider_subject', ['providerId', 'subject'], { unique: true })
@Index('IDX_external_identities_user', ['userId'])
export class ExternalIdentity extends UserOwned {
  @References(() => User, 'user_id', 'FK_external_identities_user', 'CASCADE')
  user?: User;

  @Column({ type: 'uuid' })
  providerId!: string;

  @References(() => IdentityProvider, 'provider_id', 'FK_external_identities_provider', 'CASCADE')
  provider?: IdentityProvider;

  /** The upstream `sub`: stable per provider, unlike the email. */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  linkedAt!: Date;
}
