import { sqlMigration } from '@platform/database';

export const CreateSigningKeysAndClients1764000010000 = sqlMigration('CreateSigningKeysAndClients1764000010000', {
  up: [
    `
      CREATE TABLE "signing_keys" (
        "kid" varchar(64) NOT NULL,
        "alg" varchar(16) NOT NULL,
        "status" varchar(16) NOT NULL,
        "private_jwk_sealed" text NOT NULL,
        "public_jwk" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "activated_at" timestamptz,
        "retired_at" timestamptz,
        CONSTRAINT "PK_signing_keys" PRIMARY KEY ("kid")
      )`,
    `
      CREATE TABLE "oauth_clients" (
        "client_id" varchar(100) NOT NULL,
        "tenant_id" uuid,
        "name" varchar(200) NOT NULL,
        "metadata" jsonb NOT NULL,
        "secret_hash" char(64),
        "previous_secret_hash" char(64),
        "previous_secret_expires_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_oauth_clients" PRIMARY KEY ("client_id")
      )`,
    `
      CREATE TABLE "resource_servers" (
        "identifier" varchar(2048) NOT NULL,
        "name" varchar(200) NOT NULL,
        "scopes" text array NOT NULL DEFAULT '{}',
        "token_format" varchar(16) NOT NULL DEFAULT 'jwt',
        "access_token_ttl" integer NOT NULL DEFAULT 900,
        "include_permissions" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_resource_servers" PRIMARY KEY ("identifier")
      )`,
  ],
  down: [`DROP TABLE "resource_servers"`, `DROP TABLE "oauth_clients"`, `DROP TABLE "signing_keys"`],
});
