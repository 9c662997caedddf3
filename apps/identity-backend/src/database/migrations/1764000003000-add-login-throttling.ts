import { sqlMigration } from '@platform/database';

export const AddLoginThrottling1764000003000 = sqlMigration('AddLoginThrottling1764000003000', {
  up: [
    `
      ALTER TABLE "users"
        ADD "failed_login_count" integer NOT NULL DEFAULT 0,
        ADD "lock_count" integer NOT NULL DEFAULT 0,
        ADD "locked_until" timestamptz`,
    `
      CREATE TABLE "ip_login_failures" (
        "ip" varchar(64) NOT NULL,
        "minute" timestamptz NOT NULL,
        "failures" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_ip_login_failures" PRIMARY KEY ("ip", "minute")
      )`,
  ],
  down: [
    `DROP TABLE "ip_login_failures"`,
    `ALTER TABLE "users" DROP COLUMN "locked_until", DROP COLUMN "lock_count", DROP COLUMN "failed_login_count"`,
  ],
});
