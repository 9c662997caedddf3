import { sqlMigration } from '@platform/database';

/**
 * Passkeys (WebAuthn credentials, issue 16) and the server-side challenges of their ceremonies.
 * A credential belongs to one user of one tenant: (tenant_id, credential_id) is unique and every
 * lookup names the tenant, so a passkey registered in one tenant never signs in to another.
 */
export const CreatePasskeys1764000012800 = sqlMigration('CreatePasskeys1764000012800', {
  up: [
    `
      CREATE TABLE "passkeys" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "credential_id" varchar(1400) NOT NULL,
        "public_key" bytea NOT NULL,
        "sign_count" bigint NOT NULL DEFAULT 0,
        "transports" text[] NOT NULL DEFAULT '{}',
        "aaguid" uuid NOT NULL,
        "device_type" varchar(16) NOT NULL,
        "backed_up" boolean NOT NULL DEFAULT false,
        "name" varchar(100) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_used_at" timestamptz,
        CONSTRAINT "PK_passkeys" PRIMARY KEY ("id"),
        CONSTRAINT "FK_passkeys_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT,
        CONSTRAINT "FK_passkeys_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE UNIQUE INDEX "UQ_passkeys_tenant_credential" ON "passkeys" ("tenant_id", "credential_id")`,
    `CREATE INDEX "IDX_passkeys_user" ON "passkeys" ("user_id")`,
    `
      CREATE TABLE "passkey_challenges" (
        "challenge" varchar(128) NOT NULL,
        "purpose" varchar(16) NOT NULL,
        "tenant_id" uuid NOT NULL,
        "user_id" uuid,
        "user_verification" varchar(16) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_passkey_challenges" PRIMARY KEY ("challenge"),
        CONSTRAINT "FK_passkey_challenges_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_passkey_challenges_expires" ON "passkey_challenges" ("expires_at")`,
  ],
  down: [`DROP TABLE "passkey_challenges"`, `DROP TABLE "passkeys"`],
});
