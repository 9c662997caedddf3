import { sqlMigration } from '@platform/database';

export const CreateOidcModelInstances1764000000000 = sqlMigration('CreateOidcModelInstances1764000000000', {
  up: [
    `
      CREATE TABLE "oidc_model_instances" (
        "model" varchar(64) NOT NULL,
        "id" varchar(255) NOT NULL,
        "payload" jsonb NOT NULL,
        "grant_id" varchar(255),
        "uid" varchar(255),
        "user_code" varchar(255),
        "expires_at" timestamptz,
        "consumed_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_oidc_model_instances" PRIMARY KEY ("model", "id")
      )`,
    `CREATE INDEX "IDX_oidc_model_instances_grant_id" ON "oidc_model_instances" ("model", "grant_id")`,
    `CREATE INDEX "IDX_oidc_model_instances_uid" ON "oidc_model_instances" ("model", "uid")`,
    `CREATE INDEX "IDX_oidc_model_instances_user_code" ON "oidc_model_instances" ("model", "user_code")`,
    `CREATE INDEX "IDX_oidc_model_instances_expires_at" ON "oidc_model_instances" ("expires_at")`,
  ],
  down: [`DROP TABLE "oidc_model_instances"`],
});
