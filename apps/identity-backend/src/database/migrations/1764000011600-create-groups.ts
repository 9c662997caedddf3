import { sqlMigration } from '@platform/database';

/**
 * Groups (issue 16): tenant-scoped, holding users, roles and other groups. Group-to-group links
 * reference (id, tenant_id) so the database itself refuses an edge between two tenants. Also the
 * default role an identity provider gives the users it provisions.
 */
export const CreateGroups1764000011600 = sqlMigration('CreateGroups1764000011600', {
  up: [
    `
      CREATE TABLE "groups" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_groups" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_groups_id_tenant" UNIQUE ("id", "tenant_id"),
        CONSTRAINT "FK_groups_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT
      )`,
    `CREATE UNIQUE INDEX "UQ_groups_tenant_name" ON "groups" ("tenant_id", "name")`,
    `
      CREATE TABLE "group_members" (
        "group_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "added_by" varchar(255),
        "added_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_group_members" PRIMARY KEY ("group_id", "user_id"),
        CONSTRAINT "FK_group_members_group" FOREIGN KEY ("group_id", "tenant_id") REFERENCES "groups"("id", "tenant_id") ON DELETE CASCADE,
        CONSTRAINT "FK_group_members_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    // The claims path starts from the user.
    `CREATE INDEX "IDX_group_members_user" ON "group_members" ("user_id")`,
    `
      CREATE TABLE "group_roles" (
        "group_id" uuid NOT NULL,
        "role_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "assigned_by" varchar(255),
        "assigned_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_group_roles" PRIMARY KEY ("group_id", "role_id"),
        CONSTRAINT "FK_group_roles_group" FOREIGN KEY ("group_id", "tenant_id") REFERENCES "groups"("id", "tenant_id") ON DELETE CASCADE,
        CONSTRAINT "FK_group_roles_role" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_group_roles_role" ON "group_roles" ("role_id")`,
    `
      CREATE TABLE "group_subgroups" (
        "parent_group_id" uuid NOT NULL,
        "child_group_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "added_by" varchar(255),
        "added_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_group_subgroups" PRIMARY KEY ("parent_group_id", "child_group_id"),
        CONSTRAINT "CHK_group_subgroups_not_self" CHECK ("parent_group_id" <> "child_group_id"),
        CONSTRAINT "FK_group_subgroups_parent" FOREIGN KEY ("parent_group_id", "tenant_id") REFERENCES "groups"("id", "tenant_id") ON DELETE CASCADE,
        CONSTRAINT "FK_group_subgroups_child" FOREIGN KEY ("child_group_id", "tenant_id") REFERENCES "groups"("id", "tenant_id") ON DELETE CASCADE
      )`,
    // The claims path walks from a group up to the groups containing it.
    `CREATE INDEX "IDX_group_subgroups_child" ON "group_subgroups" ("child_group_id")`,
    `
      ALTER TABLE "identity_providers" ADD COLUMN "default_role_id" uuid,
        ADD CONSTRAINT "FK_identity_providers_default_role" FOREIGN KEY ("default_role_id") REFERENCES "roles"("id") ON DELETE SET NULL`,
  ],
  down: [
    `ALTER TABLE "identity_providers" DROP COLUMN "default_role_id"`,
    `DROP TABLE "group_subgroups"`,
    `DROP TABLE "group_roles"`,
    `DROP TABLE "group_members"`,
    `DROP TABLE "groups"`,
  ],
});
