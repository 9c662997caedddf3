import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OAuthClient } from '../clients/oauth-client.entity';

/**
 * A long-lived, scoped API key (seed 002). The key itself (`ipk_<id>_<secret>`) is shown
 * once; only its SHA-256 is kept. It belongs to a client, or to a tenant, and is usable
 * at introspection and in a token exchange for one resource server's scopes.
 */
@Entity({ name: 'api_keys' })
@Index('IDX_api_keys_tenant_created', ['tenantId', 'createdAt'])
@Index('IDX_api_keys_client', ['clientId'])
export class ApiKey extends WithCreatedAt() {
  /** The public part of the key (`ipk_<id>_...`): how a presented key is looked up. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  /** The owning client, when the key belongs to one (deleting the client deletes its keys). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  clientId!: string | null;

  @ManyToOne(() => OAuthClient, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id', foreignKeyConstraintName: 'FK_api_keys_client' })
  client?: OAuthClient;

  /** Resource indicator (token `aud`) the key is for. */
  @Column({ type: 'varchar', length: 2048 })
  audience!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  /** SHA-256 (hex) of the whole key; the key has 256 bits of entropy, so no slow hash is needed. */
  @Column({ type: 'char', length: 64 })
  secretHash!: string;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** Refreshed at most once a minute, when the key is introspected or exchanged. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** Subject of the token that created the key (a client id or a user id). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  createdBy!: string | null;
}
