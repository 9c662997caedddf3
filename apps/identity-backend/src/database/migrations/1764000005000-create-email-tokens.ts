import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEmailTokens1764000005000 implements MigrationInterface {
  name = 'CreateEmailTokens1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "email_tokens" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "purpose" varchar(32) NOT NULL,
        "token_hash" char(64) NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_email_tokens" PRIMARY KEY ("id"),
        CONSTRAINT "FK_email_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_email_tokens_hash" ON "email_tokens" ("token_hash")`);
    await queryRunner.query(`CREATE INDEX "IDX_email_tokens_user" ON "email_tokens" ("user_id", "purpose")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "email_tokens"`);
  }
}
