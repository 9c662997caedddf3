import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registrations without a scope list could ask for every scope (oidc-provider's reading of a
 * missing list): a tenant's service client could ask for platform.admin. A missing list now
 * means none (oidc/known-scopes.ts), so code-flow clients registered without one get what new
 * ones get by default, the sign-in scopes; the others keep no list, that is no scope.
 */
export class DefaultClientScopes1796130100000 implements MigrationInterface {
  name = 'DefaultClientScopes1796130100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE oauth_clients
         SET metadata = jsonb_set(metadata, '{scope}', '"openid profile email offline_access"')
       WHERE metadata->'grant_types' ? 'authorization_code' AND coalesce(metadata->>'scope', '') = ''`);
  }

  async down(): Promise<void> {
    // Which rows had no list is not recorded; the lists stay.
  }
}
