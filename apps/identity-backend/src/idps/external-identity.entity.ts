import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../users/user.entity';
import { IdentityProvider } from './identity-provider.entity';

/** A user's account at an upstream provider, linked to the local user. */
@Entity({ name: 'external_identities' })
@Index('UQ_external_identities_provider_subject', ['providerId', 'subject'], { unique: true })
@Index('IDX_external_identities_user', ['userId'])
export class ExternalIdentity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_external_identities_user' })
  user?: User;

  @Column({ type: 'uuid' })
  providerId!: string;

  @ManyToOne(() => IdentityProvider, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id', foreignKeyConstraintName: 'FK_external_identities_provider' })
  provider?: IdentityProvider;

  /** The upstream `sub`: stable per provider, unlike the email. */
  @Column({ type: 'varchar', length: 255 })
  subject!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  linkedAt!: Date;
}
