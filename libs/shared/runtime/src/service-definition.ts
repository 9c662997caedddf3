import type { DynamicModule } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ServiceConfig } from '@platform/config';
import type { DataSourceOptions } from 'typeorm';

/** What a service tells the shared runtime so it can be migrated, served and tested the same way. */
export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  /** Kebab-case service name, used in logs, metrics and the OpenAPI document. */
  name: string;
  title: string;
  description: string;
  version: string;
  /** Validates the environment; throws ConfigError with a one-line message. */
  loadConfig(env: NodeJS.ProcessEnv): C;
  dataSourceOptions(config: C): DataSourceOptions;
  rootModule(config: C): DynamicModule;
  /** Mounts HTTP handlers that must run before the JSON/form body parsers (e.g. an OIDC provider). */
  configureHttp?(app: NestExpressApplication, config: C): void;
}
