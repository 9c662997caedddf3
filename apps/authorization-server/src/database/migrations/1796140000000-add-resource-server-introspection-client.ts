import { sqlMigration } from '@platform/database';

/** An API may designate a confidential client that introspects the tokens issued for it (RFC 7662 §2.1). */
export const AddResourceServerIntrospectionClient1796140000000 = sqlMigration(
  'AddResourceServerIntrospectionClient1796140000000',
  {
    up: [`ALTER TABLE "resource_servers" ADD "introspection_client_id" varchar(100)`],
    down: [`ALTER TABLE "resource_servers" DROP COLUMN "introspection_client_id"`],
  },
);
