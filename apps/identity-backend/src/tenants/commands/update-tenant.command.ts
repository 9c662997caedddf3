import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, tenantEvent } from '../../events/identity-events';
import type { Tenant, TenantStatus } from '../tenant.entity';
import { mergeTenantSettings, resolveTenantSettings, type TenantSettings } from '../tenant-settings';
import { TenantsRepository } from '../tenants.repository';

export interface TenantChanges {
  displayName?: string;
  status?: TenantStatus;
  /** Merged into the current settings, one level deep per section. */
  settings?: Partial<TenantSettings>;
}

export class UpdateTenantCommand extends Command<Tenant> {
  constructor(
    readonly tenantId: string,
    readonly changes: TenantChanges,
  ) {
    super();
  }
}

@CommandHandler(UpdateTenantCommand)
export class UpdateTenantHandler implements ICommandHandler<UpdateTenantCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly events: EventRecorder,
  ) {}

  execute({ tenantId, changes }: UpdateTenantCommand): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await this.tenants.findById(tenantId, manager);
      if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
      if (changes.displayName !== undefined) tenant.displayName = changes.displayName;
      if (changes.status !== undefined) tenant.status = changes.status;
      if (changes.settings)
        tenant.settings = mergeTenantSettings(resolveTenantSettings(tenant.settings), changes.settings);
      const saved = await this.tenants.save(manager, tenant);
      const changed = Object.keys(changes).filter((k) => changes[k as keyof TenantChanges] !== undefined);
      await this.events.record(manager, [tenantEvent(EventTypes.tenantUpdated, saved, { changed })]);
      return saved;
    });
  }
}
