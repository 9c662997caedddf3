export { createServiceApp, OPENAPI_PATH, openApiDocumentOf } from './create-service-app';
export { ApiError } from './errors/api-error';
export {
  defineApiErrors,
  defineApiErrorCodes,
  type ApiErrorClass,
  type ApiErrorCodeOf,
  type ApiErrorCodes,
} from './errors/define-api-errors';
export { apiErrorResponses } from './errors/api-error-responses';
export { htmlSecurityHeaders, type HtmlSourcePolicy } from './http/html-security-headers';
export { deviceOf } from './http/device-label';
export { ApiExceptionFilter, toErrorBody, type ErrorBody } from './errors/api-exception.filter';
export { EventConsumerMetrics } from './events/event-consumer.metrics';
export { DEPENDENCY_PROBES, type DependencyProbe } from './health/dependency-probe';
export { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
export { ServiceMetrics } from './metrics/metrics';
export { type OutboxOptions } from './outbox/outbox-relay.service';
export { PlatformModule, type PlatformModuleOptions } from './platform.module';
export { KAFKA_CLIENT } from './tokens';
export { runServiceCli } from './service-cli';
export type { ServiceDefinition } from './service-definition';
export { Housekeeping, type HousekeepingTask } from './housekeeping';
export { BoundedCache, type BoundedCacheOptions } from './cache/bounded-cache';
export { Clock, ManualClock, SystemClock } from './clock';
export { AcceptedRoute, CreatedRoute, NoContentRoute, OkRoute, type RouteSummary } from './http/api-routes';
export { OptionalStringField, OptionalUuidField, StringField, type StringLength } from './http/dto-fields';
