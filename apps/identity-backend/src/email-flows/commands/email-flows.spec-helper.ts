import type { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { MailLimits } from '../mail-limits';
import type { MailOutbox } from '../../mail/mail-outbox';

export const TENANT = { id: 'tenant-a', slug: 'acme', status: 'active', settings: {} };

/** A tenant with one user, the mail limits counted and the mails queued, for the "always accepted" requests. */
export function mailRequestWorld(user: Partial<User> = {}) {
  const ada = { id: 'u-ada', tenantId: TENANT.id, email: 'Ada@Example.com', status: 'active', ...user } as User;
  const tenants = {
    findByIdOrSlug: async (ref: string) => (ref === TENANT.id || ref === TENANT.slug ? TENANT : null),
  } as unknown as TenantsRepository;
  const users = {
    findById: async (tenantId: string, id: string) => (tenantId === TENANT.id && id === ada.id ? ada : null),
    findByCanonicalEmail: async (tenantId: string, canonical: string) =>
      tenantId === TENANT.id && canonical === 'ada@example.com' ? ada : null,
  } as unknown as UsersRepository;
  const limited: [string, string][] = [];
  const mailLimits = {
    consume: async (address: string, ip: string) => void limited.push([address, ip]),
  } as unknown as MailLimits;
  const queued: { kind: string; tenantId: string; userId: string }[] = [];
  const mail = { enqueueNow: async (mails: typeof queued) => void queued.push(...mails) } as unknown as MailOutbox;
  return { ada, tenants, users, mailLimits, mail, limited, queued };
}

/** Lets the look-up the handlers do after answering (setImmediate) run to its end. */
export const backgroundWork = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
