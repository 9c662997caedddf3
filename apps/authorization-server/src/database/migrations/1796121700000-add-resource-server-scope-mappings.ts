import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 11: each API declares which permissions its scopes cover, and describes them for consent. */
export class AddResourceServerScopeMappings1796121700000 implements MigrationInterface {
  name = 'AddResourceServerScopeMappings1796121700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "resource_servers"
        ADD COLUMN "scope_permissions" jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN "scope_descriptions" jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "resource_servers" DROP COLUMN "scope_descriptions", DROP COLUMN "scope_permissions"`,
    );
  }
}
