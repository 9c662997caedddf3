export { assertPortFree, freePort } from './free-port';
export { javaAvailable, startLocalKafka, stopLocalKafka, type LocalKafka } from './local-kafka';
export { ensureDatabases, startLocalPostgres, type LocalPostgres, type LocalPostgresOptions } from './local-postgres';
export { workspaceRoot } from './workspace-root';
