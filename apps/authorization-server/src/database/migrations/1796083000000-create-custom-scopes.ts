import { sqlMigration } from '@platform/database';

export const CreateCustomScopes1796083000000 = sqlMigration('CreateCustomScopes1796083000000', {
  up: [
    `
      CREATE TABLE "custom_scopes" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "scope" varchar(200) NOT NULL,
        "claim" varchar(100) NOT NULL,
        "source" jsonb NOT NULL,
        "tenant_id" uuid,
        "client_id" varchar(100),
        "description" varchar(500) NOT NULL DEFAULT '',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_custom_scopes" PRIMARY KEY ("id"),
        CONSTRAINT "FK_custom_scopes_client" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("client_id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_custom_scopes_scope" ON "custom_scopes" ("scope")`,
  ],
  down: [`DROP TABLE "custom_scopes"`],
});
