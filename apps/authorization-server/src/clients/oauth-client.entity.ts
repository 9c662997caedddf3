import { WithTimestamps } from '@platform/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registered OAuth client. `metadata` is its RFC 7591 registration minus the secret, which is stored hashed. */
@Entity({ name: 'oauth_clients' })
export class OAuthClient extends WithTimestamps() {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  clientId!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, unknown>;

  /** SHA-256 of the generated secret (256 bits of entropy); null for public clients. */
  @Column({ type: 'char', length: 64, nullable: true })
  secretHash!: string | null;

  /** After a rotation the old secret keeps working until this moment (overlap for deployments). */
  @Column({ type: 'char', length: 64, nullable: true })
  previousSecretHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;
}
