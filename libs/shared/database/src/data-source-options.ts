import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export interface ServiceDatabase {
  url: string;
  poolSize?: number;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own signature
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own signature
  migrations: MixedList<Function | string>;
}

/**
 * One place for how every service talks to Postgres: explicit entity and migration
 * lists (no globs, so the build output cannot drift from the source), schema changes
 * only through migrations.
 */
export function postgresDataSourceOptions(db: ServiceDatabase): DataSourceOptions {
  return {
    type: 'postgres',
    url: db.url,
    entities: db.entities,
    migrations: db.migrations,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    extra: { max: db.poolSize ?? 10, connectionTimeoutMillis: 5_000 },
  };
}

/** The database settings of every service's configuration (@platform/config's service config). */
export interface ServiceDatabaseConfig {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
}

/** A service's data-source options as a function of its configuration: its own entities and migrations. */
export function serviceDataSourceOptions(
  schema: Pick<ServiceDatabase, 'entities' | 'migrations'>,
): (config: ServiceDatabaseConfig) => DataSourceOptions {
  return (config) =>
    postgresDataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE, ...schema });
}
