import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddLoginThrottling1764000003000 implements MigrationInterface {
  name = 'AddLoginThrottling1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "users"
        ADD "failed_login_count" integer NOT NULL DEFAULT 0,
        ADD "lock_count" integer NOT NULL DEFAULT 0,
        ADD "locked_until" timestamptz`);
    await queryRunner.query(`
      CREATE TABLE "ip_login_failures" (
        "ip" varchar(64) NOT NULL,
        "minute" timestamptz NOT NULL,
        "failures" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_ip_login_failures" PRIMARY KEY ("ip", "minute")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ip_login_failures"`);
    await queryRunner.query(
      `ALTER TABLE "users" DROP COLUMN "locked_until", DROP COLUMN "lock_count", DROP COLUMN "failed_login_count"`,
    );
  }
}
