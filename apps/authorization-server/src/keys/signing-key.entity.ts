import { WithCreatedAt } from '@platform/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SigningKeyStatus = 'next' | 'active' | 'retired';

/**
 * The key families: one active key of each at once. RS256 signs ID tokens by default (OIDC's mandatory
 * alg; RSA-only verifiers such as AWS API Gateway), ES256 access tokens by default, EdDSA (Ed25519)
 * for whoever registers it.
 */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/**
 * A token signing key of one algorithm family. Lifecycle: next (published, not yet signing) ->
 * active (signs) -> retired (published until every token it signed has expired). Private keys are
 * sealed with the data-encryption keyring.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey extends WithCreatedAt() {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: SigningAlgorithm;

  @Column({ type: 'varchar', length: 16 })
  status!: SigningKeyStatus;

  @Column({ type: 'text' })
  privateJwkSealed!: string;

  @Column({ type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
