import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import { outboundGuard } from '@platform/outbound';
import { DataSource } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { IDENTITY_CONFIG } from '../../common/tokens';
import type { IdentityBackendConfig } from '../../config';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, tenantEvent, userEvent } from '../../events/identity-events';
import type { CreateIdpDto, UpdateIdpDto } from '../dto/idp.dto';
import { IdentityProvider } from '../identity-provider.entity';
import { IdentityProvidersRepository } from '../identity-providers.repository';
import { assertIdpOutboundTargets } from '../idp-outbound-check';

export class SaveIdpCommand extends Command<IdentityProvider> {
  constructor(
    readonly tenantId: string,
    /** Absent: create. */
    readonly idpId: string | null,
    readonly fields: CreateIdpDto | UpdateIdpDto,
  ) {
    super();
  }
}

@CommandHandler(SaveIdpCommand)
export class SaveIdpHandler implements ICommandHandler<SaveIdpCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly events: EventRecorder,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityBackendConfig,
  ) {}

  async execute({ tenantId, idpId, fields }: SaveIdpCommand): Promise<IdentityProvider> {
    const { clientSecret, ...settings } = fields;
    // Before the transaction: the check may wait on DNS and the issuer's discovery document.
    if (fields.issuer !== undefined) {
      await assertIdpOutboundTargets(outboundGuard(this.config.OUTBOUND_ALLOW_PRIVATE_NETWORK), fields.issuer);
    }
    try {
      return await this.dataSource.transaction(async (manager) => {
        const idp = idpId
          ? await this.idps.get(tenantId, idpId, manager)
          : Object.assign(new IdentityProvider(), { id: randomUUID(), tenantId });
        Object.assign(idp, settings);
        if (clientSecret !== undefined) idp.clientSecretSealed = this.idps.sealSecret(idp.id, clientSecret);
        const saved = await this.idps.save(manager, idp);
        await this.events.record(manager, [
          tenantEvent(
            EventTypes.tenantIdpChanged,
            { id: tenantId },
            { idpId: saved.id, change: idpId ? 'updated' : 'created' },
          ),
        ]);
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'UQ_identity_providers_tenant_slug')) {
        throw new IdentityError(IdentityErrorCode.IdpSlugTaken, 'An identity provider with this slug already exists');
      }
      throw error;
    }
  }
}

export class DeleteIdpCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly idpId: string,
  ) {
    super();
  }
}

/** Removing a provider also removes every account link to it. */
@CommandHandler(DeleteIdpCommand)
export class DeleteIdpHandler implements ICommandHandler<DeleteIdpCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, idpId }: DeleteIdpCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const idp = await this.idps.get(tenantId, idpId, manager);
      await this.idps.delete(manager, idp);
      await this.events.record(manager, [
        tenantEvent(EventTypes.tenantIdpChanged, { id: tenantId }, { idpId, change: 'deleted' }),
      ]);
    });
  }
}

export class UnlinkExternalIdentityCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly linkId: string,
    /** Self-service: refuse to remove the last way to sign in (no password and no other linked account). */
    readonly keepASignInMethod = false,
  ) {
    super();
  }
}

@CommandHandler(UnlinkExternalIdentityCommand)
export class UnlinkExternalIdentityHandler implements ICommandHandler<UnlinkExternalIdentityCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, linkId, keepASignInMethod }: UnlinkExternalIdentityCommand): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The user row lock serialises two concurrent unlinks of the last two links.
      const user = await this.idps.lockUserForUnlink(manager, tenantId, userId);
      const link = await this.idps.userLink(manager, tenantId, userId, linkId);
      if (!link || !user)
        throw new IdentityError(IdentityErrorCode.ExternalIdentityNotFound, 'Linked identity not found');
      if (
        keepASignInMethod &&
        !user.hasPassword &&
        (await this.idps.linkCount(manager, { id: userId, tenantId })) <= 1
      ) {
        throw new IdentityError(
          IdentityErrorCode.LastSignInMethod,
          'This is your only way to sign in: set a password or link another account first',
        );
      }
      await this.idps.unlink(manager, link);
      await this.events.record(manager, [
        userEvent(EventTypes.userExternalIdentityUnlinked, { id: userId, tenantId }, { providerId: link.providerId }),
      ]);
    });
  }
}
