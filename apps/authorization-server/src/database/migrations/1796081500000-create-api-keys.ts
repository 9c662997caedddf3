import { sqlMigration } from '@platform/database';

export const CreateApiKeys1796081500000 = sqlMigration('CreateApiKeys1796081500000', {
  up: [
    `
      CREATE TABLE "api_keys" (
        "id" varchar(32) NOT NULL,
        "name" varchar(200) NOT NULL,
        "tenant_id" uuid,
        "client_id" varchar(100),
        "audience" varchar(2048) NOT NULL,
        "scopes" text array NOT NULL,
        "secret_hash" char(64) NOT NULL,
        "expires_at" timestamptz,
        "revoked_at" timestamptz,
        "last_used_at" timestamptz,
        "created_by" varchar(255),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_api_keys" PRIMARY KEY ("id"),
        CONSTRAINT "FK_api_keys_client" FOREIGN KEY ("client_id") REFERENCES "oauth_clients"("client_id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_api_keys_tenant_created" ON "api_keys" ("tenant_id", "created_at")`,
    `CREATE INDEX "IDX_api_keys_client" ON "api_keys" ("client_id")`,
  ],
  down: [`DROP TABLE "api_keys"`],
});
