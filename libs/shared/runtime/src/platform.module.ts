import { type DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ServiceConfig } from '@platform/config';
import { createKafkaClient, KafkaConnectivity, OutboxWriter } from '@platform/events';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import type { Kafka } from 'kafkajs';
import type { DataSourceOptions } from 'typeorm';
import { Clock, SystemClock } from './clock';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { EventConsumerMetrics } from './events/event-consumer.metrics';
import { DEPENDENCY_PROBES } from './health/dependency-probe';
import { HealthController } from './health/health.controller';
import { KafkaConnectivityMonitor } from './health/kafka-connectivity.monitor';
import { KafkaProbe } from './health/kafka.probe';
import { PeerServiceProbe } from './health/peer-service.probe';
import { loggerParams } from './logging';
import { MetricsController } from './metrics/metrics.controller';
import { ServiceMetrics } from './metrics/metrics';
import { configuredTopics } from './outbox/configured-topics';
import { OUTBOX_OPTIONS, type OutboxOptions, OutboxRelayService } from './outbox/outbox-relay.service';
import { KAFKA_CLIENT } from './tokens';

export interface PlatformModuleOptions {
  serviceName: string;
  config: ServiceConfig;
  dataSourceOptions: DataSourceOptions;
  /** Other platform services whose reachability shows in health details. */
  peers: { name: string; url: string | undefined }[];
  /**
   * Set when the service records events in an outbox table: the topics it publishes to. Its events'
   * CloudEvents `source` is `/<serviceName>`; the topics are created as the config says.
   */
  outbox?: { topics: readonly string[] };
}

/**
 * Everything a platform service has in common: structured logs, its database,
 * health, metrics, error format and input validation.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformModuleOptions): DynamicModule {
    const { serviceName, config } = options;
    const outbox: OutboxOptions | null = options.outbox
      ? { source: `/${serviceName}`, topics: configuredTopics(config, options.outbox.topics) }
      : null;
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(serviceName, config.LOG_LEVEL)),
        TypeOrmModule.forRoot({ ...options.dataSourceOptions, retryAttempts: 3, retryDelay: 1_000 }),
        TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ServiceMetrics, useValue: new ServiceMetrics(serviceName) },
        { provide: Clock, useClass: SystemClock },
        {
          provide: KAFKA_CLIENT,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger): Kafka | null =>
            config.KAFKA_BROKERS.length === 0
              ? null
              : createKafkaClient({
                  clientId: serviceName,
                  brokers: config.KAFKA_BROKERS,
                  log: (level, message, extra) => logger[level]({ kafka: extra }, message),
                }),
        },
        {
          provide: KafkaConnectivity,
          useValue: new KafkaConnectivity(config.KAFKA_BROKERS, {
            degradedAfterMs: config.KAFKA_DEGRADED_AFTER_SECONDS * 1000,
          }),
        },
        KafkaConnectivityMonitor,
        EventConsumerMetrics,
        {
          provide: DEPENDENCY_PROBES,
          inject: [KafkaConnectivity],
          useFactory: (kafka: KafkaConnectivity) => [
            new KafkaProbe(kafka),
            ...options.peers.map((peer) => new PeerServiceProbe(peer.name, peer.url)),
          ],
        },
        ...(outbox
          ? [
              { provide: OUTBOX_OPTIONS, useValue: outbox },
              { provide: OutboxWriter, useValue: new OutboxWriter(outbox.source) },
              OutboxRelayService,
            ]
          : []),
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
      exports: [
        ServiceMetrics,
        Clock,
        KAFKA_CLIENT,
        KafkaConnectivity,
        EventConsumerMetrics,
        ...(outbox ? [OutboxWriter] : []),
      ],
    };
  }
}
