import { postgresDataSourceOptions } from '@platform/database';
import type { DataSourceOptions } from 'typeorm';
import type { IdentityBackendConfig } from '../config';
import { Tenant } from '../tenants/tenant.entity';
import { CreateTenants1764000000000 } from './migrations/1764000000000-create-tenants';

export const identityEntities = [Tenant];
export const identityMigrations = [CreateTenants1764000000000];

export const identityDataSourceOptions = (
  config: Pick<IdentityBackendConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions =>
  postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: identityEntities,
    migrations: identityMigrations,
  });
