import { WithTimestamps } from '@platform/database';
import type { SigningAlgorithm } from '../keys/signing-key.entity';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API tokens can be issued for (RFC 8707 resource indicator = the token's `aud`). */
@Entity({ name: 'resource_servers' })
export class ResourceServer extends WithTimestamps() {
  @PrimaryColumn({ type: 'varchar', length: 2048 })
  identifier!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  @Column({ type: 'varchar', length: 16, default: 'jwt' })
  tokenFormat!: 'jwt' | 'opaque';

  @Column({ type: 'int', default: 900 })
  accessTokenTtl!: number;

  /** Put the user's roles and permissions into its access tokens. */
  @Column({ type: 'boolean', default: false })
  includePermissions!: boolean;

  /**
   * Which permissions each scope covers (scope → permissions). A user's token holds only the
   * permissions the user has that map to the scopes granted in it (DESIGN §2).
   */
  @Column({ type: 'jsonb', default: {} })
  scopePermissions!: Record<string, string[]>;

  /** What each scope allows, in words, for the consent pages (default: the scope's name). */
  @Column({ type: 'jsonb', default: {} })
  scopeDescriptions!: Record<string, string>;

  /** Algorithm of its JWT access tokens (the active key of that family signs them). */
  @Column({ type: 'varchar', length: 16, default: 'ES256' })
  signingAlg!: SigningAlgorithm;

  /**
   * A confidential client registered for this API that may introspect the access tokens issued for
   * it, whoever they were issued to (RFC 7662 §2.1: the resource server's own credentials).
   */
  @Column({ type: 'varchar', length: 100, nullable: true })
  introspectionClientId!: string | null;
}
