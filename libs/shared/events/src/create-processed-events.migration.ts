import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Event ids a consumer has applied: redelivered events are recognized and skipped. */
export class CreateProcessedEvents1764000011000 implements MigrationInterface {
  name = 'CreateProcessedEvents1764000011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "processed_events" (
        "event_id" uuid NOT NULL,
        "consumer" varchar(100) NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_processed_events" PRIMARY KEY ("event_id", "consumer")
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "processed_events"`);
  }
}
