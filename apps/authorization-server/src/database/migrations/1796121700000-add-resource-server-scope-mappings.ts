import { sqlMigration } from '@platform/database';

/** Issue 11: each API declares which permissions its scopes cover, and describes them for consent. */
export const AddResourceServerScopeMappings1796121700000 = sqlMigration('AddResourceServerScopeMappings1796121700000', {
  up: [
    `
      ALTER TABLE "resource_servers"
        ADD COLUMN "scope_permissions" jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN "scope_descriptions" jsonb NOT NULL DEFAULT '{}'`,
  ],
  down: [`ALTER TABLE "resource_servers" DROP COLUMN "scope_descriptions", DROP COLUMN "scope_permissions"`],
});
