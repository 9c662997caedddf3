import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUniqueViolation } from '@platform/database';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { DataSource, type EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import { invisibleCharacterIn } from '../../common/visible-text';
import { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import { RolesRepository } from '../../roles/roles.repository';
import { resolveTenantSettings } from '../../tenants/tenant-settings';
import type { Tenant } from '../../tenants/tenant.entity';
import { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import type { Passkey } from '../passkey.entity';
import { assertPasskeysAllowed, PasskeyCeremonies } from '../passkey-ceremonies';
import { PasskeyError, PasskeyErrorCode } from '../passkey-error';
import { PasskeysRepository } from '../passkeys.repository';

/** The signed-in user and their tenant, both active, in a tenant that allows passkeys. */
export async function enrollingUser(
  users: UsersRepository,
  tenants: TenantsRepository,
  tenantId: string,
  userId: string,
): Promise<{ tenant: Tenant; user: User }> {
  const [tenant, user] = await Promise.all([tenants.findById(tenantId), users.findById(tenantId, userId)]);
  if (!tenant || !user || user.status !== 'active')
    throw new IdentityError(IdentityErrorCode.UserNotFound, 'User not found');
  assertPasskeysAllowed(tenant);
  return { tenant, user };
}

/** A passkey's user-given name: trimmed, visible characters only. */
export function passkeyName(name: string): string {
  const trimmed = name.trim();
  const invisible = invisibleCharacterIn(trimmed, { allowJoiners: true });
  if (!trimmed || invisible) {
    throw new IdentityError(
      IdentityErrorCode.InvalidCharacters,
      invisible ? `The name contains an invisible character (${invisible})` : 'The name is empty',
    );
  }
  return trimmed;
}

export class StartPasskeyRegistrationCommand extends Command<PublicKeyCredentialCreationOptionsJSON> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
  ) {
    super();
  }
}

/** Step 1 of enrolment: options for `navigator.credentials.create()`, its challenge kept server-side. */
@CommandHandler(StartPasskeyRegistrationCommand)
export class StartPasskeyRegistrationHandler implements ICommandHandler<StartPasskeyRegistrationCommand> {
  constructor(
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly ceremonies: PasskeyCeremonies,
  ) {}

  async execute({
    tenantId,
    userId,
  }: StartPasskeyRegistrationCommand): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { tenant, user } = await enrollingUser(this.users, this.tenants, tenantId, userId);
    return this.ceremonies.registrationOptions(tenant, user);
  }
}

export class FinishPasskeyRegistrationCommand extends Command<Passkey> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly name: string,
    readonly credential: RegistrationResponseJSON,
  ) {
    super();
  }
}

/** Step 2: the attestation answers the stored challenge; the public key and counter are kept, with an event. */
@CommandHandler(FinishPasskeyRegistrationCommand)
export class FinishPasskeyRegistrationHandler implements ICommandHandler<FinishPasskeyRegistrationCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly ceremonies: PasskeyCeremonies,
    private readonly passkeys: PasskeysRepository,
    private readonly events: EventRecorder,
  ) {}

  async execute({ tenantId, userId, name, credential }: FinishPasskeyRegistrationCommand): Promise<Passkey> {
    const label = passkeyName(name);
    const { user } = await enrollingUser(this.users, this.tenants, tenantId, userId);
    const info = await this.ceremonies.verifyRegistration(tenantId, userId, credential);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const passkey = await this.passkeys.insert(manager, {
          tenantId,
          userId,
          credentialId: info.credential.id,
          publicKey: Buffer.from(info.credential.publicKey),
          signCount: String(info.credential.counter),
          transports: info.credential.transports ?? credential.response.transports ?? [],
          aaguid: info.aaguid,
          deviceType: info.credentialDeviceType,
          backedUp: info.credentialBackedUp,
          name: label,
        });
        await this.events.record(manager, [
          userEvent(EventTypes.userPasskeyAdded, user, { passkeyId: passkey.id, backedUp: passkey.backedUp }),
        ]);
        return passkey;
      });
    } catch (error) {
      throw isUniqueViolation(error, 'UQ_passkeys_tenant_credential')
        ? new PasskeyError(PasskeyErrorCode.AlreadyRegistered, 'This passkey is already registered')
        : error;
    }
  }
}

export class RenamePasskeyCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly passkeyId: string,
    readonly name: string,
  ) {
    super();
  }
}

@CommandHandler(RenamePasskeyCommand)
export class RenamePasskeyHandler implements ICommandHandler<RenamePasskeyCommand> {
  constructor(private readonly passkeys: PasskeysRepository) {}

  async execute({ tenantId, userId, passkeyId, name }: RenamePasskeyCommand): Promise<void> {
    if (!(await this.passkeys.rename(tenantId, userId, passkeyId, passkeyName(name)))) {
      throw new PasskeyError(PasskeyErrorCode.PasskeyNotFound, 'Passkey not found');
    }
  }
}

export class DeletePasskeyCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly userId: string,
    readonly passkeyId: string,
    readonly actor: string | null,
  ) {
    super();
  }
}

/**
 * From now on the credential signs nothing in: its public key is gone. Under `passkeys:
 * required-for-admins` an administrator (a `*:write` permission, directly or through a group, as
 * the sign-in counts it) keeps their last passkey: without it the policy refuses their next sign-in.
 */
@CommandHandler(DeletePasskeyCommand)
export class DeletePasskeyHandler implements ICommandHandler<DeletePasskeyCommand> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passkeys: PasskeysRepository,
    private readonly events: EventRecorder,
    private readonly tenants: TenantsRepository,
    private readonly roles: RolesRepository,
  ) {}

  execute({ tenantId, userId, passkeyId, actor }: DeletePasskeyCommand): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      const passkey = await this.passkeys.findById(tenantId, userId, passkeyId, manager);
      if (passkey) await this.keepAdministratorsLast(tenantId, userId, manager);
      if (!passkey || !(await this.passkeys.delete(manager, passkey))) {
        throw new PasskeyError(PasskeyErrorCode.PasskeyNotFound, 'Passkey not found');
      }
      await this.events.record(manager, [
        userEvent(EventTypes.userPasskeyRemoved, { id: userId, tenantId }, { passkeyId, actor }),
      ]);
    });
  }

  private async keepAdministratorsLast(tenantId: string, userId: string, manager: EntityManager): Promise<void> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant || resolveTenantSettings(tenant.settings).passkeys !== 'required-for-admins') return;
    if ((await this.passkeys.ofUser(tenantId, userId, manager, true)).length > 1) return;
    const { roles } = await this.roles.effectiveAuthority(tenantId, userId, manager);
    if (!roles.some((role) => role.permissions.some((permission) => permission.endsWith(':write')))) return;
    throw new PasskeyError(
      PasskeyErrorCode.PasskeyRequired,
      'Administrators of this organisation must keep a passkey: add another one before removing this one',
    );
  }
}
