import type { DynamicModule } from '@nestjs/common';
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
}
