export { createServiceApp, OPENAPI_PATH } from './create-service-app';
export { ApiError } from './errors/api-error';
export { ApiExceptionFilter, toErrorBody, type ErrorBody } from './errors/api-exception.filter';
export { DEPENDENCY_PROBES, type DependencyProbe } from './health/dependency-probe';
export { ServiceMetrics } from './metrics/metrics';
export { KAFKA_CLIENT, PlatformModule, type PlatformModuleOptions } from './platform.module';
export { runServiceCli } from './service-cli';
export type { ServiceDefinition } from './service-definition';
