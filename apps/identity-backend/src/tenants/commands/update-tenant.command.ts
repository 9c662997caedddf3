import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, tenantEvent } from '../../events/identity-events';
import { PasskeysRepository } from '../../passkeys/passkeys.repository';
import type { Tenant, TenantStatus } from '../tenant.entity';
import { mergeTenantSettings, resolveTenantSettings, type TenantSettings } from '../tenant-settings';
import { TenantsRepository } from '../tenants.repository';

export interface TenantChanges {
  displayName?: string;
  status?: TenantStatus;
  /** Merged into the current settings, one level deep per section. */
  settings?: Partial<TenantSettings>;
}

/** The user making a change (absent for a client): the passkey policy must not lock them out. */
export interface TenantActor {
  userId: string;
  tenantId: string | null;
}

export class UpdateTenantCommand extends Command<Tenant> {
  constructor(
    readonly tenantId: string,
    readonly changes: TenantChanges,
    readonly actor?: TenantActor,
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
    private readonly passkeys: PasskeysRepository,
  ) {}

  execute({ tenantId, changes, actor }: UpdateTenantCommand): Promise<Tenant> {
    return this.dataSource.transaction(async (manager) => {
      const tenant = await this.tenants.findById(tenantId, manager);
      if (!tenant) throw new IdentityError(IdentityErrorCode.TenantNotFound, 'Tenant not found');
      if (changes.displayName !== undefined) tenant.displayName = changes.displayName;
      if (changes.status !== undefined) tenant.status = changes.status;
      if (changes.settings) await this.refuseLockout(tenant, changes.settings, actor, manager);
      if (changes.settings)
        tenant.settings = mergeTenantSettings(resolveTenantSettings(tenant.settings), changes.settings);
      const saved = await this.tenants.save(manager, tenant);
      const changed = Object.keys(changes).filter((k) => changes[k as keyof TenantChanges] !== undefined);
      await this.events.record(manager, [tenantEvent(EventTypes.tenantUpdated, saved, { changed })]);
      return saved;
    });
  }

  /**
   * Turning on passkeys: required-for-admins while the administrator asking holds no passkey would
   * keep them out at their next sign-in (and maybe every administrator): refused. A platform
   * operator acting on another tenant signs in elsewhere and is not concerned.
   */
  private async refuseLockout(
    tenant: Tenant,
    settings: Partial<TenantSettings>,
    actor: TenantActor | undefined,
    manager: EntityManager,
  ): Promise<void> {
    if (settings.passkeys !== 'required-for-admins') return;
    if (resolveTenantSettings(tenant.settings).passkeys === 'required-for-admins') return;
    if (!actor || actor.tenantId !== tenant.id) return;
    if ((await this.passkeys.ofUser(tenant.id, actor.userId, manager)).length > 0) return;
    throw new IdentityError(
      IdentityErrorCode.PasskeyPolicyLockout,
      'Register a passkey of your own before requiring passkeys of administrators',
    );
  }
}
