import { TENANT_IDENTITY_PERMISSIONS } from '@platform/contracts';

/**
 * Roles every new tenant starts with, for administering the tenant through this API.
 * Platform administration (`platform:*`) is deliberately not among them: it is never a
 * tenant role.
 */
export const BUILT_IN_ROLES = [
  {
    name: 'tenant-admin',
    description: 'Administers the tenant: settings, users, roles, identity providers, applications, audit trail',
    // Registering the tenant's applications is a tenant administrator's job (issue 15); existing
    // tenants' tenant-admin got authz-clients:* in migration 1764000013700.
    permissions: [...TENANT_IDENTITY_PERMISSIONS, 'authz-clients:read', 'authz-clients:write'],
  },
  {
    name: 'user-manager',
    description: 'Manages users and their role assignments',
    permissions: ['users:read', 'users:write', 'roles:read'],
  },
  {
    name: 'auditor',
    description: 'Reads users, roles and the audit trail',
    permissions: ['users:read', 'roles:read', 'audit:read'],
  },
] as const;
