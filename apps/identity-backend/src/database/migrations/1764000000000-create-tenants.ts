import { sqlMigration } from '@platform/database';

export const CreateTenants1764000000000 = sqlMigration('CreateTenants1764000000000', {
  up: [
    `
      CREATE TABLE "tenants" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "slug" varchar(63) NOT NULL,
        "display_name" varchar(200) NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "settings" jsonb NOT NULL DEFAULT '{}'::jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_tenants" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_tenants_slug" UNIQUE ("slug")
      )`,
  ],
  down: [`DROP TABLE "tenants"`],
});
