import { sqlMigration } from '@platform/database';

/**
 * Registrations without a scope list could ask for every scope (oidc-provider's reading of a
 * missing list): a tenant's service client could ask for platform.admin. A missing list now
 * means none (oidc/known-scopes.ts), so code-flow clients registered without one get what new
 * ones get by default, the sign-in scopes; the others keep no list, that is no scope.
 */
export const DefaultClientScopes1796130100000 = sqlMigration('DefaultClientScopes1796130100000', {
  up: [
    `
      UPDATE oauth_clients
         SET metadata = jsonb_set(metadata, '{scope}', '"openid profile email offline_access"')
       WHERE metadata->'grant_types' ? 'authorization_code' AND coalesce(metadata->>'scope', '') = ''`,
  ],
  down: [
    // Which rows had no list is not recorded; the lists stay.
  ],
});
