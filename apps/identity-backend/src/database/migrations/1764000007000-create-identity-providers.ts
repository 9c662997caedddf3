import { sqlMigration } from '@platform/database';

export const CreateIdentityProviders1764000007000 = sqlMigration('CreateIdentityProviders1764000007000', {
  up: [
    `
      CREATE TABLE "identity_providers" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "slug" varchar(63) NOT NULL,
        "display_name" varchar(200) NOT NULL,
        "issuer" varchar(2048) NOT NULL,
        "client_id" varchar(255) NOT NULL,
        "client_secret_sealed" text,
        "scopes" text array NOT NULL DEFAULT '{openid,email,profile}',
        "claim_mapping" jsonb NOT NULL DEFAULT '{}',
        "jit_provisioning" boolean NOT NULL DEFAULT false,
        "auto_link_verified_email" boolean NOT NULL DEFAULT false,
        "enabled" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_identity_providers" PRIMARY KEY ("id"),
        CONSTRAINT "FK_identity_providers_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT
      )`,
    `CREATE UNIQUE INDEX "UQ_identity_providers_tenant_slug" ON "identity_providers" ("tenant_id", "slug")`,
    `
      CREATE TABLE "external_identities" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "provider_id" uuid NOT NULL,
        "subject" varchar(255) NOT NULL,
        "email" varchar(320),
        "linked_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_external_identities" PRIMARY KEY ("id"),
        CONSTRAINT "FK_external_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
        CONSTRAINT "FK_external_identities_provider" FOREIGN KEY ("provider_id") REFERENCES "identity_providers"("id") ON DELETE CASCADE
      )`,
    `CREATE UNIQUE INDEX "UQ_external_identities_provider_subject" ON "external_identities" ("provider_id", "subject")`,
    `CREATE INDEX "IDX_external_identities_user" ON "external_identities" ("user_id")`,
  ],
  down: [`DROP TABLE "external_identities"`, `DROP TABLE "identity_providers"`],
});
