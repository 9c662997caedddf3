export {
  postgresDataSourceOptions,
  serviceDataSourceOptions,
  type ServiceDatabase,
  type ServiceDatabaseConfig,
} from './data-source-options';
export { runMigrations, schemaDriftFromMigrations } from './run-migrations';
export { sqlMigration, type SqlMigration, type SqlMigrationSteps } from './sql-migration';
export { UuidKeyed, WithCreatedAt, WithTimestamps } from './entity-bases';
export { SnakeNamingStrategy } from './snake-naming.strategy';
export { isUniqueViolation, uniqueViolation } from './postgres-errors';
export { affectedAny, affectedRows } from './affected-rows';
export { PgNotifications } from './pg-notifications';
export {
  announceConfigChange,
  ClusterConfigWatcher,
  CONFIG_CHANNEL,
  CreateConfigVersions1796130000000,
  type ClusterConfigWatcherOptions,
} from './cluster-config';
