import { UuidKeyed, WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

/**
 * A scope of our own that releases one claim into ID tokens and userinfo (seed 003's
 * `urn:appidentity:user` → `appidentity`), for every client, a tenant's clients or one client.
 */
@Entity({ name: 'custom_scopes' })
@Index('IDX_custom_scopes_scope', ['scope'])
export class CustomScope extends WithCreatedAt(UuidKeyed) {
  @Column({ type: 'varchar', length: 200 })
  scope!: string;

  /** The claim the scope releases. */
  @Column({ type: 'varchar', length: 100 })
  claim!: string;

  /** One user claim (the value is copied) or several (the value is an object of them). */
  @Column({ type: 'jsonb' })
  source!: string | string[];

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  clientId!: string | null;

  @ManyToOne(() => OAuthClient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'FK_custom_scopes_client' })
  client?: OAuthClient;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;
}
