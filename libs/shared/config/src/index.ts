export { ConfigError } from './config-error';
export * from './env-vars';
export { loadConfig } from './load-config';
export { serviceConfigShape, type ServiceConfig } from './service-config';
