import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which oidc-provider sessions are administrators acting as users (impersonation/, issue 16). */
export class CreateImpersonationSessions1796151600000 implements MigrationInterface {
  name = 'CreateImpersonationSessions1796151600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "impersonation_sessions" (
        "session_uid" varchar(64) NOT NULL,
        "impersonation_id" uuid NOT NULL,
        "tenant_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "actor_id" uuid NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_impersonation_sessions" PRIMARY KEY ("session_uid")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_impersonation_sessions_user" ON "impersonation_sessions" ("user_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "impersonation_sessions"`);
  }
}
