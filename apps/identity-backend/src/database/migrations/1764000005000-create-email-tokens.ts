import { sqlMigration } from '@platform/database';

export const CreateEmailTokens1764000005000 = sqlMigration('CreateEmailTokens1764000005000', {
  up: [
    `
      CREATE TABLE "email_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "purpose" varchar(32) NOT NULL,
        "token_hash" char(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_email_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "FK_email_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE UNIQUE INDEX "UQ_email_tokens_hash" ON "email_tokens" ("token_hash")`,
    `CREATE INDEX "IDX_email_tokens_user" ON "email_tokens" ("user_id", "purpose")`,
  ],
  down: [`DROP TABLE "email_tokens"`],
});
