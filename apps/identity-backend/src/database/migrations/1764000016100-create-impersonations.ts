import { sqlMigration } from '@platform/database';

/**
 * Impersonation (issue 16): who acted as whom, why, until when, and the hashed one-time start
 * ticket. The platform operators' role (the only one holding platform:admin) gains
 * users:impersonate, as new operators' roles have it (tenants/operators-tenant.ts); no tenant role
 * does (a tenant administrator gets it only by a role an operator or they themselves grant).
 */
export const CreateImpersonations1764000016100 = sqlMigration('CreateImpersonations1764000016100', {
  up: [
    `
      CREATE TABLE "impersonations" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "actor_id" uuid NOT NULL,
        "reason" varchar(500) NOT NULL,
        "ticket_hash" varchar(64),
        "ticket_expires_at" timestamptz NOT NULL,
        "redeemed_at" timestamptz,
        "expires_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        "end_reason" varchar(16),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_impersonations" PRIMARY KEY ("id"),
        CONSTRAINT "FK_impersonations_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_impersonations_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_impersonations_user" ON "impersonations" ("user_id", "expires_at")`,
    `CREATE INDEX "IDX_impersonations_open" ON "impersonations" ("expires_at") WHERE "ended_at" IS NULL`,
    `CREATE UNIQUE INDEX "UQ_impersonations_ticket" ON "impersonations" ("ticket_hash")`,
    `UPDATE "roles" SET "permissions" = array_append("permissions", 'users:impersonate'), "updated_at" = now()
        WHERE "name" = 'platform-admin' AND 'platform:admin' = ANY ("permissions")
          AND NOT ('users:impersonate' = ANY ("permissions"))`,
  ],
  down: [
    `UPDATE "roles" SET "permissions" = array_remove("permissions", 'users:impersonate'), "updated_at" = now()
        WHERE "name" = 'platform-admin'`,
    `DROP TABLE "impersonations"`,
  ],
});
