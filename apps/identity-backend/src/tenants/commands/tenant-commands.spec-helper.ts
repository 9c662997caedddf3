import { uniqueViolation } from '@platform/database';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventRecorder } from '../../events/event-recorder';
import type { IdentityEvent } from '../../events/identity-events';
import type { PasskeysRepository } from '../../passkeys/passkeys.repository';
import { RolesRepository } from '../../roles/roles.repository';
import type { Tenant } from '../tenant.entity';
import type { TenantsRepository } from '../tenants.repository';
import { CreateTenantHandler } from './create-tenant.command';
import { UpdateTenantHandler } from './update-tenant.command';

/** Both tenant command handlers on one in-memory tenant table, with the roles inserted and the events recorded. */
export function tenantCommandsUnderTest() {
  const inserted: { entity: unknown; rows: { tenantId: string; name: string }[] }[] = [];
  const manager = {
    insert: async (entity: unknown, rows: { tenantId: string; name: string }[]) => void inserted.push({ entity, rows }),
  } as unknown as EntityManager;
  const dataSource = {
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
  } as unknown as DataSource;
  const stored = new Map<string, Tenant>();
  let slugTaken = false;
  const tenants = {
    findById: async (id: string) => stored.get(id) ?? null,
    save: async (_m: EntityManager, tenant: Tenant) => {
      if (slugTaken) {
        throw uniqueViolation('UQ_tenants_slug');
      }
      const saved = Object.assign(tenant, {
        id: tenant.id ?? `t-${stored.size + 1}`,
        status: tenant.status ?? 'active',
      });
      stored.set(saved.id, saved);
      return saved;
    },
  } as unknown as TenantsRepository;
  // userId -> how many passkeys they hold (the lockout guard of passkeys: required-for-admins).
  const passkeyCounts = new Map<string, number>();
  const passkeys = {
    ofUser: async (_tenantId: string, userId: string) => Array.from({ length: passkeyCounts.get(userId) ?? 0 }),
  };
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
  return {
    // The real repository's insert on the recording manager: which roles a new tenant starts with.
    create: new CreateTenantHandler(dataSource, tenants, new RolesRepository(dataSource), events),
    update: new UpdateTenantHandler(dataSource, tenants, events, passkeys as unknown as PasskeysRepository),
    inserted,
    recorded,
    takeSlugs: () => (slugTaken = true),
    givePasskey: (userId: string) => passkeyCounts.set(userId, 1),
  };
}

/** The code of the IdentityError a promise rejects with (null when it resolves). */
export const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string }) => error.code ?? String(error),
  );
