import { AUTHZ_API_SCOPES, IDENTITY_ADMIN_SCOPES } from '@platform/contracts';

/** Every management scope the admin-console client may ask for (its registration, first-party-clients.ts). */
export const CONSOLE_SCOPES: readonly string[] = [...IDENTITY_ADMIN_SCOPES, ...AUTHZ_API_SCOPES];
