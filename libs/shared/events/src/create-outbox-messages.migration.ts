import { sqlMigration } from '@platform/database';

/** The outbox table; every service that publishes events adds this migration to its list. */
export const CreateOutboxMessages1764000001000 = sqlMigration('CreateOutboxMessages1764000001000', {
  up: [
    `
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
      )`,
    `CREATE UNIQUE INDEX "UQ_outbox_messages_event_id" ON "outbox_messages" ("event_id")`,
    // The relay's only query path: unsent rows in seq order. Stays small as rows get sent.
    `CREATE INDEX "IDX_outbox_messages_unsent" ON "outbox_messages" ("seq") WHERE "sent_at" IS NULL`,
  ],
  down: [`DROP TABLE "outbox_messages"`],
});
