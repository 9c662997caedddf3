import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail waits in `mail_outbox`, written in the transaction of the change it tells about, until
 * the relay delivered it: an SMTP outage delays mail, it cannot lose it. Email links may carry
 * a payload (the new address of an email change).
 */
export class CreateMailOutbox1764000009500 implements MigrationInterface {
  name = 'CreateMailOutbox1764000009500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
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
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_mail_outbox_due" ON "mail_outbox" ("next_attempt_at")`);
    await queryRunner.query(`ALTER TABLE "email_tokens" ADD "payload" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "email_tokens" DROP COLUMN "payload"`);
    await queryRunner.query(`DROP TABLE "mail_outbox"`);
  }
}
