import { WithTimestamps } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { Role } from '../roles/role.entity';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';

/** An upstream OpenID Connect provider users of a tenant may sign in with. */
@Entity({ name: 'identity_providers' })
@Index('UQ_identity_providers_tenant_slug', ['tenantId', 'slug'], { unique: true })
export class IdentityProvider extends WithTimestamps(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_identity_providers_tenant', 'RESTRICT')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 2048 })
  issuer!: string;

  @Column({ type: 'varchar', length: 255 })
  clientId!: string;

  /** Sealed with the data-encryption keyring; never returned by the admin API. */
  @Column({ type: 'text', nullable: true })
  clientSecretSealed!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{openid,email,profile}'" })
  scopes!: string[];

  /** Our profile field -> upstream claim name, e.g. { "given_name": "first_name" }. */
  @Column({ type: 'jsonb', default: {} })
  claimMapping!: Record<string, string>;

  /** Create a local user on first sign-in when no account is linked. */
  @Column({ type: 'boolean', default: false })
  jitProvisioning!: boolean;

  /** Link to an existing account with the same address, if the provider says it is verified. */
  @Column({ type: 'boolean', default: false })
  autoLinkVerifiedEmail!: boolean;

  /** A role of the tenant given to every user this provider provisions (JIT); null for none. */
  @Column({ type: 'uuid', nullable: true })
  defaultRoleId!: string | null;

  @References(() => Role, 'default_role_id', 'FK_identity_providers_default_role', 'SET NULL')
  defaultRole?: Role;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
