import { postgresDataSourceOptions } from '@platform/database';
import type { DataSourceOptions } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { OidcModelInstance } from '../oidc/oidc-model-instance.entity';
import { CreateOidcModelInstances1764000000000 } from './migrations/1764000000000-create-oidc-model-instances';

export const authzEntities = [OidcModelInstance];
export const authzMigrations = [CreateOidcModelInstances1764000000000];

export const authzDataSourceOptions = (
  config: Pick<AuthorizationServerConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
): DataSourceOptions =>
  postgresDataSourceOptions({
    url: config.DATABASE_URL,
    poolSize: config.DATABASE_POOL_SIZE,
    entities: authzEntities,
    migrations: authzMigrations,
  });
