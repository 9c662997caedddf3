import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, tenantEvent } from '../../events/identity-events';
import { RolesRepository } from '../../roles/roles.repository';
import { Tenant } from '../tenant.entity';
import type { TenantSettings } from '../tenant-settings';
import { TenantsRepository } from '../tenants.repository';

export class CreateTenantCommand extends Command<Tenant> {
  constructor(
    readonly slug: string,
    readonly displayName: string,
    readonly settings: Partial<TenantSettings> = {},
  ) {
    super();
  }
}

@CommandHandler(CreateTenantCommand)
export class CreateTenantHandler implements ICommandHandler<CreateTenantCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsRepository,
    private readonly roles: RolesRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ slug, displayName, settings }: CreateTenantCommand): Promise<Tenant> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const tenant = await this.tenants.save(manager, Object.assign(new Tenant(), { slug, displayName, settings }));
        await this.roles.insertBuiltIns(manager, tenant);
        await this.events.record(manager, [tenantEvent(EventTypes.tenantCreated, tenant, { slug })]);
        return tenant;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_tenants_slug')) {
        throw new IdentityError(IdentityErrorCode.TenantSlugTaken, `Tenant slug "${slug}" is already taken`);
      }
      throw error;
    }
  }
}
