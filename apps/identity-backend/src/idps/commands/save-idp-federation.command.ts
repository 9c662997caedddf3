import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, tenantEvent } from '../../events/identity-events';
import { assertTenantPermissions } from '../../roles/commands/role.commands';
import { RolesRepository } from '../../roles/roles.repository';
import type { IdpFederationDto } from '../dto/idp-federation.dto';
import type { IdentityProvider } from '../identity-provider.entity';
import { IdentityProvidersRepository } from '../identity-providers.repository';

export class SaveIdpFederationCommand extends Command<IdentityProvider> {
  constructor(
    readonly tenantId: string,
    readonly idpId: string,
    readonly settings: Pick<
      IdpFederationDto,
      'jitProvisioning' | 'autoLinkVerifiedEmail' | 'claimMapping' | 'defaultRoleId'
    >,
  ) {
    super();
  }
}

/** Replaces an IdP's federation settings; the default role must be one of the tenant's, and hand out no platform power. */
@CommandHandler(SaveIdpFederationCommand)
export class SaveIdpFederationHandler implements ICommandHandler<SaveIdpFederationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly roles: RolesRepository,
    private readonly events: EventRecorder,
  ) {}

  execute({ tenantId, idpId, settings }: SaveIdpFederationCommand): Promise<IdentityProvider> {
    return this.dataSource.transaction(async (manager) => {
      const idp = await this.idps.get(tenantId, idpId, manager);
      if (settings.defaultRoleId !== null) {
        const role = await this.roles.findById(tenantId, settings.defaultRoleId, manager);
        if (!role) throw new IdentityError(IdentityErrorCode.RoleNotFound, 'Role not found');
        assertTenantPermissions(role.permissions);
      }
      const { jitProvisioning, autoLinkVerifiedEmail, claimMapping, defaultRoleId } = settings;
      Object.assign(idp, { jitProvisioning, autoLinkVerifiedEmail, claimMapping, defaultRoleId });
      const saved = await this.idps.save(manager, idp);
      await this.events.record(manager, [
        tenantEvent(EventTypes.tenantIdpChanged, { id: tenantId }, { idpId: saved.id, change: 'updated' }),
      ]);
      return saved;
    });
  }
}
