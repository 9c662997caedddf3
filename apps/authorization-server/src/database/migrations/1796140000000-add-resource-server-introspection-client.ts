import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An API may designate a confidential client that introspects the tokens issued for it (RFC 7662 §2.1). */
export class AddResourceServerIntrospectionClient1796140000000 implements MigrationInterface {
  name = 'AddResourceServerIntrospectionClient1796140000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_servers" ADD "introspection_client_id" varchar(100)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "resource_servers" DROP COLUMN "introspection_client_id"`);
  }
}
