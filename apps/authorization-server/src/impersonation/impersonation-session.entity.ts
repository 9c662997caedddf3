import { WithCreatedAt } from '@platform/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An oidc-provider session that is an administrator acting as a user (issue 16), by the session's
 * uid (which codes and tokens carry as `sessionUid`). Written when the start link's sign-in
 * completes; read for every token of that session: `act` names the administrator, no refresh
 * token, nothing after `expiresAt`. The identity backend keeps the audited impersonation record.
 */
@Entity({ name: 'impersonation_sessions' })
@Index('IDX_impersonation_sessions_user', ['userId'])
export class ImpersonationSession extends WithCreatedAt() {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sessionUid!: string;

  /** The identity backend's impersonation id. */
  @Column({ type: 'uuid' })
  impersonationId!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  actorId!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
