import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOidcModelInstances1764000000000 implements MigrationInterface {
  name = 'CreateOidcModelInstances1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "oidc_model_instances" (
        "model" varchar(64) NOT NULL,
        "id" varchar(255) NOT NULL,
        "payload" jsonb NOT NULL,
        "grant_id" varchar(255),
        "uid" varchar(255),
        "user_code" varchar(255),
        "expires_at" timestamptz,
        "consumed_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_oidc_model_instances" PRIMARY KEY ("model", "id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_oidc_model_instances_grant_id" ON "oidc_model_instances" ("model", "grant_id")`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_oidc_model_instances_uid" ON "oidc_model_instances" ("model", "uid")`);
    await queryRunner.query(
      `CREATE INDEX "IDX_oidc_model_instances_user_code" ON "oidc_model_instances" ("model", "user_code")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_oidc_model_instances_expires_at" ON "oidc_model_instances" ("expires_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "oidc_model_instances"`);
  }
}
