import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { UsersRepository } from '../../users/users.repository';
import { IdentityProvidersRepository } from '../identity-providers.repository';
import { enabledIdp, linkExternalIdentity } from './external-links';

export class LinkExternalIdentityCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly providerId: string,
    /** The upstream `sub`, from an ID token the authorization server checked. */
    readonly subject: string,
    readonly claims: Record<string, unknown>,
  ) {
    super();
  }
}

/**
 * A signed-in user links an account at one of their tenant's IdPs (the account console's
 * "Link"): the user proved both sides (a session here, a sign-in there), so no email match is
 * needed. Linking the same account again is a no-op; an upstream account already linked to
 * someone else is refused (it would move their sign-in method).
 */
@CommandHandler(LinkExternalIdentityCommand)
export class LinkExternalIdentityHandler implements ICommandHandler<LinkExternalIdentityCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly users: UsersRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, providerId, subject, claims }: LinkExternalIdentityCommand): Promise<void> {
    const idp = await enabledIdp(this.idps, tenantId, providerId);
    const user = await this.users.findById(tenantId, userId);
    if (!user || user.status !== 'active') throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    const upstreamEmail = claims[idp.claimMapping.email ?? 'email'];
    const email = typeof upstreamEmail === 'string' ? canonicalEmail(upstreamEmail) : null;
    await this.dataSource.transaction(async (manager) => {
      const existing = await this.idps.linkOf(idp, subject, manager);
      if (existing?.userId === userId) return;
      if (existing) {
        throw new IdentityError(IdentityErrorCode.ExternalIdentityTaken, 'This account is linked to another user');
      }
      await linkExternalIdentity(manager, this.idps, this.events, { user, idp, subject, email });
    });
  }
}
