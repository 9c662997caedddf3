import { sqlMigration } from '@platform/database';

/** Each API chooses the algorithm of its JWT access tokens; ES256 keeps today's tokens unchanged. */
export const AddResourceServerSigningAlg1796121800000 = sqlMigration('AddResourceServerSigningAlg1796121800000', {
  up: [`ALTER TABLE "resource_servers" ADD "signing_alg" varchar(16) NOT NULL DEFAULT 'ES256'`],
  down: [`ALTER TABLE "resource_servers" DROP COLUMN "signing_alg"`],
});
