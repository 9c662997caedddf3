import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canonicalEmail } from '../../common/email';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { EventRecorder } from '../../events/event-recorder';
import { PasskeysRepository } from '../../passkeys/passkeys.repository';
import { ChangeUserRolesCommand } from '../../roles/commands/role.commands';
import { RolesRepository } from '../../roles/roles.repository';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { StandardClaims } from '../../users/standard-claims';
import { CreateUserCommand } from '../../users/commands/create-user.command';
import type { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import { withoutInvisible } from '../../users/visible-identity';
import { MAPPABLE_FIELDS } from '../dto/idp.dto';
import type { IdentityProvider } from '../identity-provider.entity';
import { IdentityProvidersRepository } from '../identity-providers.repository';
import { enabledIdp, linkExternalIdentity } from './external-links';

export interface ResolvedExternalIdentity {
  userId: string;
  tenantId: string;
  outcome: 'linked' | 'auto_linked' | 'provisioned';
  /** The second factor the sign-in still needs (passkeys: required-for-admins); absent when none is due. */
  mfaMethods?: 'passkey'[];
}

export class ResolveExternalIdentityCommand extends Command<ResolvedExternalIdentity> {
  constructor(
    readonly tenantId: string,
    readonly providerId: string,
    readonly subject: string,
    readonly claims: Record<string, unknown>,
  ) {
    super();
  }
}

/**
 * An upstream sign-in becomes a local user: an existing link wins; otherwise, if the
 * provider allows it, an account with the same *verified* address is linked; otherwise,
 * with JIT provisioning on, a user is created. Unverified addresses never link, or an
 * attacker could claim someone's account by registering their address upstream.
 *
 * The tenant policy `passkeys: required-for-admins` holds for an upstream sign-in as for a password
 * (VerifyCredentialsHandler): an administrator completes it only with their passkey (mfaMethods
 * `['passkey']`), and one who holds none is refused with passkey_required.
 */
@CommandHandler(ResolveExternalIdentityCommand)
export class ResolveExternalIdentityHandler implements ICommandHandler<ResolveExternalIdentityCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idps: IdentityProvidersRepository,
    private readonly users: UsersRepository,
    private readonly commands: CommandBus,
    private readonly events: EventRecorder,
    private readonly tenants: TenantsRepository,
    private readonly roles: RolesRepository,
    private readonly passkeys: PasskeysRepository,
  ) {}

  async execute(command: ResolveExternalIdentityCommand): Promise<ResolvedExternalIdentity> {
    const resolved = await this.resolve(command);
    return (await this.passkeyDue(resolved)) ? { ...resolved, mfaMethods: ['passkey'] } : resolved;
  }

  private async resolve({
    tenantId,
    providerId,
    subject,
    claims,
  }: ResolveExternalIdentityCommand): Promise<ResolvedExternalIdentity> {
    const idp = await enabledIdp(this.idps, tenantId, providerId);
    const mapped = mapClaims(idp, claims);

    const existing = await this.idps.linkOf(idp, subject);
    if (existing) return this.activeUser(tenantId, existing.userId, 'linked');

    const email = typeof mapped.email === 'string' ? canonicalEmail(mapped.email) : null;
    const verified = mapped.email_verified === true;
    if (idp.autoLinkVerifiedEmail && email && verified) {
      const user = await this.users.findByCanonicalEmail(tenantId, email);
      if (user) {
        await this.link(user, idp, subject, email);
        return this.activeUser(tenantId, user.id, 'auto_linked');
      }
    }
    if (idp.jitProvisioning && email) {
      const { email: _email, email_verified: _verified, ...profile } = mapped;
      const user = await this.commands.execute(
        new CreateUserCommand({
          tenantId,
          email: String(mapped.email),
          emailVerified: verified,
          // Upstream names are stripped of invisible characters, not refused (an upstream email holding one is).
          profile: withoutInvisible(profile as StandardClaims),
          origin: 'self-registration',
          actor: null,
        }),
      );
      await this.link(user, idp, subject, email);
      // The provider's default role (federation settings), recorded like any other assignment.
      if (idp.defaultRoleId) {
        await this.commands.execute(new ChangeUserRolesCommand(tenantId, user.id, [idp.defaultRoleId], [], null));
      }
      return { userId: user.id, tenantId, outcome: 'provisioned' };
    }
    throw new IdentityError(IdentityErrorCode.NoLinkedUser, 'No local account is linked to this external identity');
  }

  /**
   * Whether the user administers a tenant that requires their passkey: a `*:write` permission,
   * directly or through a group (as the password sign-in and the last-passkey rule count it); a
   * provisioned user too, whom the provider's default role may have made one. Refused (after the
   * upstream sign-in, like after the right password) when they hold no passkey.
   */
  private async passkeyDue({ tenantId, userId }: ResolvedExternalIdentity): Promise<boolean> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || resolveTenantSettings(tenant.settings).passkeys !== 'required-for-admins') return false;
    const { roles } = await this.roles.effectiveAuthority(tenantId, userId);
    if (!roles.some((role) => role.permissions.some((permission) => permission.endsWith(':write')))) return false;
    if ((await this.passkeys.ofUser(tenantId, userId)).length > 0) return true;
    throw new IdentityError(
      IdentityErrorCode.PasskeyRequired,
      'Administrators of this organisation must sign in with a passkey',
    );
  }

  private async link(user: User, idp: IdentityProvider, subject: string, email: string | null): Promise<void> {
    await this.dataSource.transaction((manager) =>
      linkExternalIdentity(manager, this.idps, this.events, { user, idp, subject, email }),
    );
  }

  private async activeUser(
    tenantId: string,
    userId: string,
    outcome: ResolvedExternalIdentity['outcome'],
  ): Promise<ResolvedExternalIdentity> {
    // A link's user is of its provider's tenant (and goes with it: ON DELETE CASCADE).
    const user = await this.users.findById(tenantId, userId);
    if (!user) throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
    if (user.status !== 'active') {
      throw new IdentityError(IdentityErrorCode.UserInactive, 'The user can no longer sign in', {
        status: user.status,
      });
    }
    return { userId: user.id, tenantId: user.tenantId, outcome };
  }
}

/** Upstream claims renamed by the provider's mapping; unmapped fields keep their standard names. */
function mapClaims(idp: IdentityProvider, claims: Record<string, unknown>): Record<string, unknown> {
  const mapped: Record<string, unknown> = {};
  for (const field of MAPPABLE_FIELDS) {
    const value = claims[idp.claimMapping[field] ?? field];
    if (value !== undefined && value !== null)
      mapped[field] = field === 'email_verified' ? value === true || value === 'true' : value;
  }
  return mapped;
}
