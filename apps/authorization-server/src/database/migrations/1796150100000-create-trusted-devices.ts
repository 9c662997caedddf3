import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trusted-device store (issue 16): browsers remembered at the second factor, per tenant and user. */
export class CreateTrustedDevices1796150100000 implements MigrationInterface {
  name = 'CreateTrustedDevices1796150100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
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
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_trusted_devices_tenant_user_device" ON "trusted_devices" ("tenant_id", "user_id", "device_hash")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_trusted_devices_user" ON "trusted_devices" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "trusted_devices"`);
  }
}
