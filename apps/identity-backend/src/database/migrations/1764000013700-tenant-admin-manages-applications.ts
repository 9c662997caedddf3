import type { MigrationInterface, QueryRunner } from 'typeorm';

/** As written in 1764000013700; never read from the app's code (a migration does not change later). */
const APPLICATION_PERMISSIONS = ['authz-clients:read', 'authz-clients:write'];

/**
 * A tenant administrator registers the tenant's applications (issue 15): the built-in
 * tenant-admin role of every existing tenant gains authz-clients:read and :write, as new
 * tenants' roles have them (roles/built-in-roles.ts). A permission the role already holds is
 * left as it is; other roles are untouched.
 */
export class TenantAdminManagesApplications1764000013700 implements MigrationInterface {
  name = 'TenantAdminManagesApplications1764000013700';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const permission of APPLICATION_PERMISSIONS) {
      await queryRunner.query(
        `UPDATE "roles" SET "permissions" = array_append("permissions", $1::text), "updated_at" = now()
          WHERE "name" = 'tenant-admin' AND NOT ($1::text = ANY ("permissions"))`,
        [permission],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const permission of APPLICATION_PERMISSIONS) {
      await queryRunner.query(
        `UPDATE "roles" SET "permissions" = array_remove("permissions", $1::text), "updated_at" = now()
          WHERE "name" = 'tenant-admin'`,
        [permission],
      );
    }
  }
}
