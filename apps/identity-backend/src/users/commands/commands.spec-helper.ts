import type { DataSource, EntityManager } from 'typeorm';
import type { EventRecorder } from '../../events/event-recorder';
import type { Role } from '../../roles/role.entity';
import type { RolesRepository } from '../../roles/roles.repository';
import type { IdentityEvent } from '../../events/identity-events';
import type { User } from '../user.entity';
import type { UsersRepository } from '../users.repository';

export const TENANT_ID = '00000000-0000-4000-8000-0000000000aa';

/** An active user of TENANT_ID, with whatever the case changes. */
export const aUser = (changes: Partial<User> = {}): User =>
  ({
    id: 'u-1',
    tenantId: TENANT_ID,
    email: 'ada@example.com',
    emailCanonical: 'ada@example.com',
    emailVerified: false,
    status: 'active',
    statusReason: null,
    lockedUntil: null,
    failedLoginCount: 0,
    lockCount: 0,
    deletedAt: null,
    profile: {},
    attributes: {},
    ...changes,
  }) as User;

/**
 * What the user command handlers run on, in memory: a data source whose transaction hands out one
 * manager, the users repository over a list, and the events each transaction recorded.
 */
export function userCommandDeps(stored: User[] = []) {
  const manager = {} as EntityManager;
  const transactions: number[] = [];
  const dataSource = {
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => {
      transactions.push(1);
      return work(manager);
    },
  } as unknown as DataSource;
  const find = (tenantId: string, id: string) => stored.find((u) => u.tenantId === tenantId && u.id === id) ?? null;
  const saved: User[] = [];
  const users = {
    findById: async (tenantId: string, id: string) => find(tenantId, id),
    findForUpdate: async (_m: EntityManager, tenantId: string, id: string) => find(tenantId, id),
    save: async (m: EntityManager, user: User) => {
      if (m !== manager) throw new Error('saved outside the transaction');
      saved.push({ ...user });
      return user;
    },
  } as unknown as UsersRepository;
  // The tenant's roles by name (the default role of self-registration), and the assignments made.
  const assigned: { tenantId: string; userId: string; roleIds: string[] }[] = [];
  const tenantRoles: Role[] = [];
  const roles = {
    findByName: async (tenantId: string, name: string) =>
      tenantRoles.find((r) => r.tenantId === tenantId && r.name === name) ?? null,
    assign: async (m: EntityManager, tenantId: string, userId: string, roleIds: string[]) => {
      if (m !== manager) throw new Error('assigned outside the transaction');
      assigned.push({ tenantId, userId, roleIds });
    },
  } as unknown as RolesRepository;
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = {
    record: async (m, list) => {
      if (m !== manager) throw new Error('recorded outside the transaction');
      recorded.push(...list);
    },
  };
  return { manager, dataSource, users, roles, tenantRoles, assigned, events, saved, recorded, transactions };
}

/** The code of the IdentityError a promise rejects with (null when it resolves). */
export const errorCode = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string }) => error.code ?? String(error),
  );

/** Like errorCode, for a handler that may also throw before it returns a promise (its input checks). */
export async function thrownCode(run: () => unknown): Promise<string | null> {
  try {
    await run();
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}
