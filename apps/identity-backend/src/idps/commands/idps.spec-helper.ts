import type { CommandBus } from '@nestjs/cqrs';
import { uniqueViolation } from '@platform/database';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityError, IdentityErrorCode } from '../../common/identity-error';
import type { EventRecorder } from '../../events/event-recorder';
import type { IdentityEvent, IdentityEventType } from '../../events/identity-events';
import type { PasskeysRepository } from '../../passkeys/passkeys.repository';
import { ChangeUserRolesCommand } from '../../roles/commands/role.commands';
import type { Role } from '../../roles/role.entity';
import type { RolesRepository } from '../../roles/roles.repository';
import type { TenantSettings } from '../../tenants/tenant-settings';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import { CreateUserCommand } from '../../users/commands/create-user.command';
import { aUser } from '../../users/commands/commands.spec-helper';
import type { User } from '../../users/user.entity';
import type { UsersRepository } from '../../users/users.repository';
import type { ExternalIdentity } from '../external-identity.entity';
import type { IdentityProvider } from '../identity-provider.entity';
import type { IdentityProvidersRepository } from '../identity-providers.repository';

export const T = 'tenant-a';
export const OTHER = 'tenant-b';

const anIdp = (changes: Partial<IdentityProvider>): IdentityProvider =>
  ({
    tenantId: T,
    slug: 'corp',
    displayName: 'Corp',
    issuer: 'https://sso.corp.example',
    clientId: 'rp',
    clientSecretSealed: null,
    scopes: ['openid', 'email'],
    claimMapping: {},
    jitProvisioning: false,
    autoLinkVerifiedEmail: false,
    defaultRoleId: null,
    enabled: true,
    ...changes,
  }) as IdentityProvider;

/**
 * One tenant's identity providers, users, account links and roles in memory, behind the
 * repository methods the IdP handlers call; writes outside the transaction's manager fail, and
 * the commands the handlers send (user creation, role assignment) are answered and kept.
 */
export function idpWorld() {
  const manager = { name: 'the transaction' } as unknown as EntityManager;
  const inTransaction = (m: EntityManager) => {
    if (m !== manager) throw new Error('written outside the transaction');
  };
  const dataSource = {
    manager: { name: 'outside any transaction' },
    transaction: async <R>(work: (m: EntityManager) => Promise<R>) => work(manager),
  } as unknown as DataSource;

  const idps = new Map<string, IdentityProvider>([
    ['idp-corp', anIdp({ id: 'idp-corp' })],
    ['idp-off', anIdp({ id: 'idp-off', slug: 'off', enabled: false })],
    ['idp-theirs', anIdp({ id: 'idp-theirs', tenantId: OTHER, slug: 'theirs' })],
  ]);
  const users: User[] = [
    aUser({ id: 'u-ada', tenantId: T, email: 'ada@example.com', emailCanonical: 'ada@example.com', passwordHash: 'h' }),
    aUser({
      id: 'u-sso',
      tenantId: T,
      email: 'sso@example.com',
      emailCanonical: 'sso@example.com',
      passwordHash: null,
    }),
    aUser({
      id: 'u-gone',
      tenantId: T,
      email: 'gone@example.com',
      emailCanonical: 'gone@example.com',
      status: 'disabled',
    }),
    aUser({ id: 'u-theirs', tenantId: OTHER, email: 'ada@example.com', emailCanonical: 'ada@example.com' }),
  ];
  const links: ExternalIdentity[] = [
    { id: 'link-sso', userId: 'u-sso', providerId: 'idp-corp', subject: 'sub-sso', email: null } as ExternalIdentity,
    { id: 'link-gone', userId: 'u-gone', providerId: 'idp-corp', subject: 'sub-gone', email: null } as ExternalIdentity,
  ];
  const roles: Role[] = [
    { id: 'r-member', tenantId: T, name: 'member', permissions: ['orders:read'] } as Role,
    { id: 'r-root', tenantId: T, name: 'root', permissions: ['platform:admin'] } as Role,
    { id: 'r-admin', tenantId: T, name: 'user-manager', permissions: ['users:read', 'users:write'] } as Role,
    { id: 'r-theirs', tenantId: OTHER, name: 'member', permissions: [] as string[] } as Role,
  ];
  let slugTaken = false;
  const userIn = (tenantId: string, id: string) => users.find((u) => u.tenantId === tenantId && u.id === id) ?? null;
  const locked: string[] = [];

  const repository = {
    get: async (tenantId: string, id: string) => {
      const idp = idps.get(id);
      if (!idp || idp.tenantId !== tenantId) {
        throw new IdentityError(IdentityErrorCode.IdpNotFound, 'Identity provider not found');
      }
      return { ...idp };
    },
    sealSecret: (idpId: string, secret: string) => `sealed-for-${idpId}:${secret.length}`,
    save: async (m: EntityManager, idp: IdentityProvider) => {
      inTransaction(m);
      if (slugTaken) throw uniqueViolation('UQ_identity_providers_tenant_slug');
      idps.set(idp.id, { ...idp });
      return idp;
    },
    delete: async (m: EntityManager, idp: IdentityProvider) => {
      inTransaction(m);
      idps.delete(idp.id);
    },
    linkOf: async (idp: Pick<IdentityProvider, 'id'>, subject: string) =>
      links.find((l) => l.providerId === idp.id && l.subject === subject) ?? null,
    link: async (m: EntityManager, idp: Pick<IdentityProvider, 'id'>, link: Partial<ExternalIdentity>) => {
      inTransaction(m);
      links.push({ ...link, id: `link-${links.length + 1}`, providerId: idp.id } as ExternalIdentity);
    },
    lockUserForUnlink: async (m: EntityManager, tenantId: string, userId: string) => {
      inTransaction(m);
      locked.push(userId);
      const user = userIn(tenantId, userId);
      return user ? { hasPassword: user.passwordHash !== null } : null;
    },
    userLink: async (_m: EntityManager, tenantId: string, userId: string, linkId: string) =>
      links.find((l) => l.id === linkId && l.userId === userId && userIn(tenantId, l.userId)) ?? null,
    linkCount: async (_m: EntityManager, user: { id: string }) => links.filter((l) => l.userId === user.id).length,
    unlink: async (m: EntityManager, link: ExternalIdentity) => {
      inTransaction(m);
      links.splice(links.indexOf(link), 1);
    },
  };
  const usersRepository = {
    findById: async (tenantId: string, id: string) => userIn(tenantId, id),
    findByCanonicalEmail: async (tenantId: string, email: string) =>
      users.find((u) => u.tenantId === tenantId && u.emailCanonical === email) ?? null,
  } as unknown as UsersRepository;
  // Tenant T's settings, each user's role ids (given by ChangeUserRolesCommand too) and who holds a passkey.
  const settings: Partial<TenantSettings> = {};
  const userRoles = new Map<string, string[]>();
  const passkeyHolders = new Set<string>();
  const rolesRepository = {
    findById: async (tenantId: string, id: string) => roles.find((r) => r.tenantId === tenantId && r.id === id) ?? null,
    effectiveAuthority: async (tenantId: string, userId: string) => ({
      roles: roles.filter((r) => r.tenantId === tenantId && userRoles.get(userId)?.includes(r.id)),
      groups: [],
    }),
  } as unknown as RolesRepository;
  const tenantsRepository = {
    findById: async (id: string) => (id === T ? { id, settings } : null),
  } as unknown as TenantsRepository;
  const passkeysRepository = {
    ofUser: async (tenantId: string, userId: string) =>
      passkeyHolders.has(userId) && userIn(tenantId, userId) ? [{ tenantId, userId }] : [],
  } as unknown as PasskeysRepository;

  const sent: unknown[] = [];
  const commands = {
    execute: async (command: unknown) => {
      sent.push(command);
      if (command instanceof CreateUserCommand) {
        const { tenantId, email, emailVerified, profile } = command.user;
        const user = aUser({ id: 'u-new', tenantId, email, emailCanonical: email.toLowerCase(), profile });
        user.emailVerified = emailVerified ?? false;
        users.push(user);
        return user;
      }
      if (command instanceof ChangeUserRolesCommand) {
        userRoles.set(command.userId, [...(userRoles.get(command.userId) ?? []), ...command.add]);
      }
      return [];
    },
  } as unknown as CommandBus;

  const recorded: IdentityEvent[] = [];
  const events: EventRecorder = {
    record: async (m, list) => {
      inTransaction(m);
      recorded.push(...list);
    },
  };
  return {
    dataSource,
    idps,
    users,
    links,
    locked,
    recorded,
    sent,
    events,
    commands,
    takeSlugs: () => (slugTaken = true),
    repository: repository as unknown as IdentityProvidersRepository,
    usersRepository,
    rolesRepository,
    settings,
    userRoles,
    passkeyHolders,
    tenantsRepository,
    passkeysRepository,
  };
}

/** The event a change of a user's link to idp-corp records. */
export const linkEvent = (type: IdentityEventType, userId: string) =>
  expect.objectContaining({ type, tenantId: T, data: { userId, providerId: 'idp-corp' } });

/** The code of the IdentityError a promise rejects with (null when it resolves). */
export { errorCode } from '../../users/commands/commands.spec-helper';
