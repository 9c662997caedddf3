import { sqlMigration } from '@platform/database';

/** The trusted-device store (issue 16): browsers remembered at the second factor, per tenant and user. */
export const CreateTrustedDevices1796150100000 = sqlMigration('CreateTrustedDevices1796150100000', {
  up: [
    `
      CREATE TABLE "trusted_devices" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "device_hash" char(64) NOT NULL,
        "trust_level" varchar(16) NOT NULL,
        "user_agent_family" varchar(100),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "trusted_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "trusted_until" timestamptz NOT NULL,
        "revoked_at" timestamptz,
        CONSTRAINT "PK_trusted_devices" PRIMARY KEY ("id")
      )`,
    `CREATE UNIQUE INDEX "UQ_trusted_devices_tenant_user_device" ON "trusted_devices" ("tenant_id", "user_id", "device_hash")`,
    `CREATE INDEX "IDX_trusted_devices_user" ON "trusted_devices" ("user_id")`,
  ],
  down: [`DROP TABLE "trusted_devices"`],
});
