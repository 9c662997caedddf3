import type { DataSource, EntityManager } from 'typeorm';
import type { LockoutService } from '../../credentials/lockout.service';
import type { EventRecorder } from '../../events/event-recorder';
import type { IdentityEvent } from '../../events/identity-events';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { MfaFactor } from '../mfa-factor.entity';
import type { MfaFactors } from '../mfa-factors';
import { newTotpSecret } from '../totp';

export const TENANT_ID = 'tenant-a';

/**
 * One user's second factor in memory: the TOTP factor (its secret in the clear, as MfaFactors
 * opens it), the burnt time steps, the recovery codes; plus the lockout's record and the events.
 */
export function mfaWorld(options: { confirmed?: boolean; enrolled?: boolean; status?: User['status'] } = {}) {
  const user = {
    id: 'u-ada',
    tenantId: TENANT_ID,
    email: 'ada@example.com',
    status: options.status ?? 'active',
  } as User;
  const secret = newTotpSecret();
  let factor: MfaFactor | null =
    options.enrolled === false
      ? null
      : ({
          id: 'f-1',
          userId: user.id,
          type: 'totp',
          secretSealed: secret,
          confirmedAt: options.confirmed === false ? null : new Date(),
        } as unknown as MfaFactor);
  const burnt = new Set<number>();
  let recoveryCodes = ['rc-1', 'rc-2'];
  const manager = {} as EntityManager;
  const dataSource = {
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
  } as unknown as DataSource;
  const users = {
    findById: async (tenantId: string, id: string) => (tenantId === TENANT_ID && id === user.id ? user : null),
  } as unknown as UsersRepository;
  const tenants = {
    findById: async () => ({ id: TENANT_ID, displayName: 'Acme', settings: {} }),
  } as unknown as TenantsRepository;
  const mfa = {
    methodsOf: async () => (factor?.confirmedAt ? ['totp'] : []),
    confirmedTotp: async () => (factor?.confirmedAt ? factor : null),
    totpFactor: async () => factor,
    seal: (_userId: string, plain: string) => plain,
    startTotp: async (_m: EntityManager, userId: string, plain: string) =>
      void (factor = { id: 'f-2', userId, type: 'totp', secretSealed: plain, confirmedAt: null } as MfaFactor),
    confirmTotp: async (_m: EntityManager, f: MfaFactor, at: Date) => void (f.confirmedAt = at),
    openSecret: (f: MfaFactor) => f.secretSealed,
    claimStep: async (_m: EntityManager, _id: string, step: number) =>
      !burnt.has(step) && burnt.add(step) !== undefined,
    issueRecoveryCodes: async () => (recoveryCodes = ['rc-new-1', 'rc-new-2']),
    consumeRecoveryCode: async (_m: EntityManager, _u: string, code: string) => {
      const found = recoveryCodes.includes(code);
      recoveryCodes = recoveryCodes.filter((c) => c !== code);
      return found;
    },
    remove: async () => {
      const had = factor !== null;
      factor = null;
      return had;
    },
  } as unknown as MfaFactors;
  const failures: string[] = [];
  const successes: string[] = [];
  const lockout = {
    isLocked: () => false,
    recordFailure: async (u: User) => void failures.push(u.id),
    recordSuccess: async (id: string) => void successes.push(id),
  } as unknown as LockoutService;
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
  return {
    user,
    secret,
    factor: () => factor,
    recoveryCodes: () => recoveryCodes,
    dataSource,
    users,
    tenants,
    mfa,
    lockout,
    events,
    failures,
    successes,
    recorded,
  };
}
