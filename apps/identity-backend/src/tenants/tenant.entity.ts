import { WithTimestamps } from '@platform/database';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TenantSettings } from './tenant-settings';

export type TenantStatus = 'active' | 'suspended';

/** The first columns of a row that belongs to one tenant: its id and the tenant's (each entity names its own foreign key). */
export abstract class TenantOwned {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;
}

@Entity({ name: 'tenants' })
export class Tenant extends WithTimestamps() {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

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
