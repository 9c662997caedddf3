import { sqlMigration } from '@platform/database';

export const CreateUsersAndRoles1764000002000 = sqlMigration('CreateUsersAndRoles1764000002000', {
  up: [
    `
      CREATE TABLE "users" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "email" varchar(320) NOT NULL,
        "email_canonical" varchar(320) NOT NULL,
        "email_verified" boolean NOT NULL DEFAULT false,
        "username" varchar(64),
        "username_canonical" varchar(64),
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "status_reason" text,
        "profile" jsonb NOT NULL DEFAULT '{}',
        "attributes" jsonb NOT NULL DEFAULT '{}',
        "password_hash" text,
        "password_changed_at" timestamptz,
        "must_change_password" boolean NOT NULL DEFAULT false,
        "last_login_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        "deleted_at" timestamptz,
        CONSTRAINT "PK_users" PRIMARY KEY ("id"),
        CONSTRAINT "FK_users_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT
      )`,
    `CREATE UNIQUE INDEX "UQ_users_tenant_email" ON "users" ("tenant_id", "email_canonical")`,
    `CREATE UNIQUE INDEX "UQ_users_tenant_username" ON "users" ("tenant_id", "username_canonical")`,
    `CREATE INDEX "IDX_users_tenant_created" ON "users" ("tenant_id", "created_at", "id")`,
    // Email prefix search (LIKE 'prefix%') under any collation.
    `CREATE INDEX "IDX_users_tenant_email_prefix" ON "users" ("tenant_id", "email_canonical" text_pattern_ops)`,

    `
      CREATE TABLE "password_history" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "password_hash" text NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_password_history" PRIMARY KEY ("id"),
        CONSTRAINT "FK_password_history_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_password_history_user" ON "password_history" ("user_id", "created_at")`,

    `
      CREATE TABLE "roles" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "name" varchar(100) NOT NULL,
        "description" varchar(500) NOT NULL DEFAULT '',
        "permissions" text array NOT NULL DEFAULT '{}',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_roles" PRIMARY KEY ("id"),
        CONSTRAINT "FK_roles_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT
      )`,
    `CREATE UNIQUE INDEX "UQ_roles_tenant_name" ON "roles" ("tenant_id", "name")`,

    `
      CREATE TABLE "user_roles" (
        "user_id" uuid NOT NULL,
        "role_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "assigned_by" varchar(255),
        "assigned_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_user_roles" PRIMARY KEY ("user_id", "role_id"),
        CONSTRAINT "FK_user_roles_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_user_roles_role" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_user_roles_role" ON "user_roles" ("role_id")`,
  ],
  down: [`DROP TABLE "user_roles"`, `DROP TABLE "roles"`, `DROP TABLE "password_history"`, `DROP TABLE "users"`],
});
