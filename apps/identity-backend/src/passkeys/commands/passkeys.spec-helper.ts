import type { PasskeyAssertionJSON } from '@platform/contracts';
import { uniqueViolation } from '@platform/database';
import type { DataSource, EntityManager } from 'typeorm';
import type { IdentityBackendConfig } from '../../config';
import type { LockoutService } from '../../credentials/lockout.service';
import type { EventRecorder } from '../../events/event-recorder';
import type { IdentityEvent } from '../../events/identity-events';
import type { TenantSettings } from '../../tenants/tenant-settings';
import type { Tenant } from '../../tenants/tenant.entity';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import { aUser, userCommandDeps } from '../../users/commands/commands.spec-helper';
import type { User } from '../../users/user.entity';
import { PasskeyCeremonies } from '../passkey-ceremonies';
import type { Passkey, PasskeyChallenge } from '../passkey.entity';
import type { PasskeysRepository } from '../passkeys.repository';

export const T = '00000000-0000-4000-8000-0000000000aa';
/** User ids are UUIDs: a WebAuthn user handle is their 16 bytes. */
export const ADA = '00000000-0000-4000-8000-00000000ada1';
export const BOB = '00000000-0000-4000-8000-00000000b0b1';
export const LOCKED = '00000000-0000-4000-8000-00000000dead';

const base64url = (text: string) => Buffer.from(text).toString('base64url');

/** A browser's assertion answering `challenge` with credential `credentialId`. */
export function assertion(credentialId: string, challenge: string, userHandle?: string): PasskeyAssertionJSON {
  return {
    id: credentialId,
    rawId: credentialId,
    type: 'public-key',
    response: {
      clientDataJSON: base64url(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'https://id.example' })),
      authenticatorData: base64url('authenticator data'),
      signature: base64url('signature'),
      ...(userHandle ? { userHandle } : {}),
    },
    clientExtensionResults: {},
  };
}

/**
 * One tenant's users, passkeys and pending challenges in memory, behind the repository methods
 * the passkey handlers and the real PasskeyCeremonies call (the spec mocks @simplewebauthn/server,
 * the cryptography; the platform's rules around it are what is tested). The counter only moves
 * forward, as the repository's UPDATE enforces.
 */
export function passkeyWorld(settings: Partial<TenantSettings> = {}) {
  const manager = { name: 'the transaction' } as unknown as EntityManager;
  const dataSource = {
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
  } as unknown as DataSource;
  const tenant = { id: T, slug: 'acme', status: 'active', displayName: 'Acme', settings } as unknown as Tenant;
  const tenants = {
    findById: async (id: string) => (id === T ? tenant : null),
    findByIdOrSlug: async (ref: string) => (ref === T || ref === 'acme' ? tenant : null),
  } as unknown as TenantsRepository;
  const stored: User[] = [
    aUser({ id: ADA, tenantId: T, email: 'ada@example.com', emailCanonical: 'ada@example.com' }),
    aUser({ id: BOB, tenantId: T, email: 'bob@example.com', emailCanonical: 'bob@example.com' }),
    aUser({ id: LOCKED, tenantId: T, status: 'locked', email: 'eve@example.com', emailCanonical: 'eve@example.com' }),
  ];
  const { users } = userCommandDeps(stored);

  const passkeys: Passkey[] = [
    {
      id: 'pk-ada',
      tenantId: T,
      userId: ADA,
      credentialId: 'cred-ada',
      publicKey: Buffer.from('public key'),
      signCount: '5',
      transports: ['internal'],
      aaguid: '00000000-0000-0000-0000-000000000000',
      deviceType: 'singleDevice',
      backedUp: false,
      name: 'Laptop',
      createdAt: new Date('2026-11-01T00:00:00Z'),
      lastUsedAt: null,
    },
  ];
  const challenges: Omit<PasskeyChallenge, 'expiresAt' | 'tenant'>[] = [];
  const repository = {
    ofUser: async (tenantId: string, userId: string) =>
      passkeys.filter((p) => p.tenantId === tenantId && p.userId === userId),
    findById: async (tenantId: string, userId: string, id: string) =>
      passkeys.find((p) => p.tenantId === tenantId && p.userId === userId && p.id === id) ?? null,
    userByLogin: async (tenantId: string, login: string) =>
      stored.find((u) => u.tenantId === tenantId && u.emailCanonical === login.toLowerCase()) ?? null,
    findByCredentialId: async (tenantId: string, credentialId: string) =>
      passkeys.find((p) => p.tenantId === tenantId && p.credentialId === credentialId) ?? null,
    insert: async (m: EntityManager, passkey: Omit<Passkey, 'id' | 'createdAt' | 'lastUsedAt'>) => {
      if (m !== manager) throw new Error('written outside the transaction');
      if (passkeys.some((p) => p.tenantId === passkey.tenantId && p.credentialId === passkey.credentialId)) {
        throw uniqueViolation('UQ_passkeys_tenant_credential');
      }
      const saved = { ...passkey, id: `pk-${passkeys.length + 1}`, createdAt: new Date(), lastUsedAt: null };
      passkeys.push(saved);
      return saved;
    },
    rename: async (tenantId: string, userId: string, id: string, name: string) => {
      const passkey = passkeys.find((p) => p.tenantId === tenantId && p.userId === userId && p.id === id);
      if (passkey) passkey.name = name;
      return passkey !== undefined;
    },
    delete: async (_m: EntityManager, passkey: Passkey) => passkeys.splice(passkeys.indexOf(passkey), 1).length > 0,
    recordUse: async (passkey: Passkey, signCount: number, backedUp: boolean) => {
      const row = passkeys.find((p) => p.id === passkey.id)!;
      const stored = Number(row.signCount);
      if (!(stored < signCount || (signCount === 0 && stored === 0))) return false;
      Object.assign(row, { signCount: String(signCount), backedUp, lastUsedAt: new Date() });
      return true;
    },
    saveChallenge: async (challenge: (typeof challenges)[number]) => void challenges.push(challenge),
    consumeChallenge: async (tenantId: string, purpose: string, challenge: string) => {
      const index = challenges.findIndex(
        (c) => c.tenantId === tenantId && c.purpose === purpose && c.challenge === challenge,
      );
      return index < 0 ? null : challenges.splice(index, 1)[0]!;
    },
  };
  const failures: string[] = [];
  const lockout = {
    isLocked: (user: Pick<User, 'lockedUntil'>) => user.lockedUntil !== null && user.lockedUntil > new Date(),
    recordFailure: async (user: User, _policy: unknown, factor: string) => void failures.push(`${user.id}:${factor}`),
    recordSuccess: jest.fn(async () => undefined),
  };
  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = { record: async (_m, list) => void recorded.push(...list) };
  const config = {
    ACCOUNT_URL: 'https://id.example/account',
    WEBAUTHN_ORIGINS: [],
  } as unknown as IdentityBackendConfig;
  const passkeysRepository = repository as unknown as PasskeysRepository;
  const ceremonies = new PasskeyCeremonies(
    dataSource,
    passkeysRepository,
    users,
    lockout as unknown as LockoutService,
    events,
    config,
  );
  return {
    dataSource,
    tenant,
    tenants,
    stored,
    users,
    passkeys,
    challenges,
    repository: passkeysRepository,
    lockout,
    failures,
    recorded,
    events,
    ceremonies,
  };
}
