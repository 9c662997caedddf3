import type { EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { EventRecorder } from '../../events/event-recorder';
import { EventTypes, userEvent } from '../../events/identity-events';
import type { User } from '../../users/user.entity';
import type { IdentityProvider } from '../identity-provider.entity';
import type { IdentityProvidersRepository } from '../identity-providers.repository';

/** The tenant's IdP by id; a disabled one is not found, so nobody signs in or links through it. */
export async function enabledIdp(
  idps: IdentityProvidersRepository,
  tenantId: string,
  providerId: string,
): Promise<IdentityProvider> {
  const idp = await idps.get(tenantId, providerId);
  if (!idp.enabled) throw new IdentityError(IdentityErrorCode.IdpNotFound, 'Identity provider not found');
  return idp;
}

/** Links an upstream account to a user and announces it, within the caller's transaction. */
export async function linkExternalIdentity(
  manager: EntityManager,
  idps: IdentityProvidersRepository,
  events: EventRecorder,
  link: { user: User; idp: IdentityProvider; subject: string; email: string | null },
): Promise<void> {
  const { user, idp, subject, email } = link;
  await idps.link(manager, idp, { userId: user.id, subject, email });
  await events.record(manager, [userEvent(EventTypes.userExternalIdentityLinked, user, { providerId: idp.id })]);
}
