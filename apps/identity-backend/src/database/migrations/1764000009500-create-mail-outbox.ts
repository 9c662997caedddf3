import { sqlMigration } from '@platform/database';

/**
 * Mail waits in `mail_outbox`, written in the transaction of the change it tells about, until
 * the relay delivered it: an SMTP outage delays mail, it cannot lose it. Email links may carry
 * a payload (the new address of an email change).
 */
export const CreateMailOutbox1764000009500 = sqlMigration('CreateMailOutbox1764000009500', {
  up: [
    `
      CREATE TABLE "mail_outbox" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "kind" varchar(40) NOT NULL,
        "recipient" varchar(320),
        "params" jsonb NOT NULL DEFAULT '{}',
        "attempts" integer NOT NULL DEFAULT 0,
        "next_attempt_at" timestamptz NOT NULL DEFAULT now(),
        "last_error" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_mail_outbox" PRIMARY KEY ("id"),
        CONSTRAINT "FK_mail_outbox_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`,
    `CREATE INDEX "IDX_mail_outbox_due" ON "mail_outbox" ("next_attempt_at")`,
    `ALTER TABLE "email_tokens" ADD "payload" jsonb`,
  ],
  down: [`ALTER TABLE "email_tokens" DROP COLUMN "payload"`, `DROP TABLE "mail_outbox"`],
});
