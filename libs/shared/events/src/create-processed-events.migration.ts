import { sqlMigration } from '@platform/database';

/** Event ids a consumer has applied: redelivered events are recognized and skipped. */
export const CreateProcessedEvents1764000011000 = sqlMigration('CreateProcessedEvents1764000011000', {
  up: [
    `
      CREATE TABLE "processed_events" (
        "event_id" uuid NOT NULL,
        "consumer" varchar(100) NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_processed_events" PRIMARY KEY ("event_id", "consumer")
      )`,
  ],
  down: [`DROP TABLE "processed_events"`],
});
