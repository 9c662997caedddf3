import type { AuthzSchemas as authz, IdentitySchemas as identity } from '@platform/web';

export type UserView = identity['schemas']['UserView'];
export type RoleView = identity['schemas']['RoleView'];
export type TenantView = identity['schemas']['TenantView'];
export type TenantSettings = identity['schemas']['TenantSettingsDto'];
export type ClientView = authz['schemas']['ClientView'];
export type ClientWithSecretView = authz['schemas']['ClientWithSecretView'];
export type CreateClientDto = authz['schemas']['CreateClientDto'];
export type SessionView = authz['schemas']['SessionView'];
export type ResourceServerView = authz['schemas']['ResourceServerView'];

/** A page of a cursor-paged list (identity backend's common/page.ts). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** An audit trail entry (identity backend's audit-entry.entity.ts; the API documents no schema for it). */
export interface AuditEntry {
  id: string;
  tenantId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  actor: string | null;
  actorType: string;
  clientId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

/** A signing key as the management API lists it (authorization server keys/). */
export interface SigningKey {
  kid: string;
  alg: string;
  status: string;
  createdAt?: string;
  activatedAt?: string | null;
  retiredAt?: string | null;
  [field: string]: unknown;
}
