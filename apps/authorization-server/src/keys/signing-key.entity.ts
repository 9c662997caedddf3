import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type SigningKeyStatus = 'next' | 'active' | 'retired';

/** ES256 by default; RS256 for verifiers that only know RSA; EdDSA (Ed25519) for the compact and fast. */
export const SIGNING_ALGORITHMS = ['ES256', 'RS256', 'EdDSA'] as const;

/**
 * A token signing key. Lifecycle: next (published, not yet signing) -> active (signs)
 * -> retired (published until every token it signed has expired). Private keys are
 * sealed with the data-encryption keyring.
 */
@Entity({ name: 'signing_keys' })
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  alg!: (typeof SIGNING_ALGORITHMS)[number];

  @Column({ type: 'varchar', length: 16 })
  status!: SigningKeyStatus;

  @Column({ type: 'text' })
  privateJwkSealed!: string;

  @Column({ type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
