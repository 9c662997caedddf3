import { WithTimestamps } from '@platform/database';
import { Column, Entity, Index } from 'typeorm';
import { References } from '../common/references';
import { Tenant, TenantOwned } from '../tenants/tenant.entity';

@Entity({ name: 'roles' })
@Index('UQ_roles_tenant_name', ['tenantId', 'name'], { unique: true })
export class Role extends WithTimestamps(TenantOwned) {
  @References(() => Tenant, 'tenant_id', 'FK_roles_tenant', 'RESTRICT')
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;

  /** `resource:action` strings, e.g. `users:read`. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: string[];
}
