import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each API chooses the algorithm of its JWT access tokens; ES256 keeps today's tokens unchanged. */
export class AddResourceServerSigningAlg1796121800000 implements MigrationInterface {
  name = 'AddResourceServerSigningAlg1796121800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_servers" ADD "signing_alg" varchar(16) NOT NULL DEFAULT 'ES256'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_servers" DROP COLUMN "signing_alg"`);
  }
}
