import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every node-oidc-provider model (sessions, grants, codes, tokens, ...) in one table,
 * keyed by (model, id), payload as JSONB.
 */
@Entity({ name: 'oidc_model_instances' })
@Index('IDX_oidc_model_instances_grant_id', ['model', 'grantId'])
@Index('IDX_oidc_model_instances_uid', ['model', 'uid'])
@Index('IDX_oidc_model_instances_user_code', ['model', 'userCode'])
@Index('IDX_oidc_model_instances_expires_at', ['expiresAt'])
export class OidcModelInstance extends WithCreatedAt() {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  model!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 255, nullable: true })
  grantId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  uid!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  userCode!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
