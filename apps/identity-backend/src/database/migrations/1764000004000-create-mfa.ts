import { sqlMigration } from '@platform/database';

export const CreateMfa1764000004000 = sqlMigration('CreateMfa1764000004000', {
  up: [
    `
      CREATE TABLE "mfa_factors" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "type" varchar(16) NOT NULL,
        "secret_sealed" text NOT NULL,
        "confirmed_at" timestamptz,
        "last_used_step" bigint NOT NULL DEFAULT 0,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_mfa_factors" PRIMARY KEY ("id"),
        CONSTRAINT "FK_mfa_factors_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE UNIQUE INDEX "UQ_mfa_factors_user_type" ON "mfa_factors" ("user_id", "type")`,
    `
      CREATE TABLE "recovery_codes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "code_hash" char(64) NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_recovery_codes" PRIMARY KEY ("id"),
        CONSTRAINT "FK_recovery_codes_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_recovery_codes_user" ON "recovery_codes" ("user_id")`,
  ],
  down: [`DROP TABLE "recovery_codes"`, `DROP TABLE "mfa_factors"`],
});
