import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outbox table; every service that publishes events adds this migration to its list. */
export class CreateOutboxMessages1764000001000 implements MigrationInterface {
  name = 'CreateOutboxMessages1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "outbox_messages" (
        "seq" bigserial NOT NULL,
        "event_id" uuid NOT NULL,
        "topic" varchar(249) NOT NULL,
        "message_key" varchar(255) NOT NULL,
        "payload" jsonb NOT NULL,
        "headers" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "available_at" timestamptz NOT NULL DEFAULT now(),
        "sent_at" timestamptz,
        "attempts" integer NOT NULL DEFAULT 0,
        "last_error" text,
        CONSTRAINT "PK_outbox_messages" PRIMARY KEY ("seq")
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_outbox_messages_event_id" ON "outbox_messages" ("event_id")`);
    // The relay's only query path: unsent rows in seq order. Stays small as rows get sent.
    await queryRunner.query(
      `CREATE INDEX "IDX_outbox_messages_unsent" ON "outbox_messages" ("seq") WHERE "sent_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "outbox_messages"`);
  }
}
