import { UuidKeyed, WithTimestamps } from '@platform/database';
import { Column, Entity } from 'typeorm';
import type { TenantSettings } from './tenant-settings';

export type TenantStatus = 'active' | 'suspended';

/** The first columns of a row that belongs to one tenant: its id and the tenant's (each entity names its own foreign key). */
export abstract class TenantOwned extends UuidKeyed {
  @Column({ type: 'uuid' })
  tenantId!: string;
}

@Entity({ name: 'tenants' })
export class Tenant extends WithTimestamps(UuidKeyed) {
  /** URL-safe, unique, immutable handle (e.g. in login hints). */
  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: TenantStatus;

  @Column({ type: 'jsonb', default: {} })
  /** Only what was set; read through resolveTenantSettings() for defaults. */
  settings!: Partial<TenantSettings>;
}
