import { sqlMigration } from '@platform/database';

/**
 * One table for every abuse limit (mail per address and per IP, registrations per IP, sign-in
 * failures per IP and tenant, per device cookie). It replaces the per-minute ip_login_failures
 * buckets, whose rows are short-lived counters: nothing worth carrying over.
 */
export const CreateRateLimitCounters1764000008000 = sqlMigration('CreateRateLimitCounters1764000008000', {
  up: [
    `
      CREATE TABLE "rate_limit_counters" (
        "name" varchar(40) NOT NULL,
        "key" varchar(200) NOT NULL,
        "window_start" timestamptz NOT NULL,
        "hits" integer NOT NULL DEFAULT 0,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_rate_limit_counters" PRIMARY KEY ("name", "key", "window_start")
      )`,
    `CREATE INDEX "IDX_rate_limit_counters_expires_at" ON "rate_limit_counters" ("expires_at")`,
    `DROP TABLE "ip_login_failures"`,
  ],
  down: [
    `
      CREATE TABLE "ip_login_failures" (
        "ip" varchar(64) NOT NULL,
        "minute" timestamptz NOT NULL,
        "failures" integer NOT NULL DEFAULT 0,
        CONSTRAINT "PK_ip_login_failures" PRIMARY KEY ("ip", "minute")
      )`,
    `DROP TABLE "rate_limit_counters"`,
  ],
});
