import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CloudEvent, EventConsumer } from '@platform/events';
import { EventConsumerMetrics, KAFKA_CLIENT } from '@platform/runtime';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager } from 'typeorm';

/** Which events a consumer reads, and its name in the log. */
export interface EventSubscription {
  groupId: string;
  topics: string[];
  /** As in "user lifecycle consumer not started". */
  name: string;
}

/** What every consumer is built on: the broker (null without Kafka), the database, the log and the metrics. */
@Injectable()
export class ConsumerInfrastructure {
  constructor(
    @Inject(KAFKA_CLIENT) readonly kafka: Kafka | null,
    @InjectDataSource() readonly dataSource: DataSource,
    readonly logger: PinoLogger,
    readonly metrics: EventConsumerMetrics,
  ) {}
}

/**
 * A Kafka consumer that runs as long as this server does: it joins its group after start-up,
 * stops before shutdown and reports its lag and dead letters on /metrics. Without Kafka (a null
 * client) nothing runs. A subclass says what it subscribes to and handles each event inside the
 * transaction that records it as processed.
 */
export abstract class ServiceEventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer | null;

  protected readonly logger: PinoLogger;

  protected constructor(
    { kafka, dataSource, logger, metrics }: ConsumerInfrastructure,
    private readonly subscription: EventSubscription,
  ) {
    this.logger = logger;
    this.consumer = kafka
      ? new EventConsumer({
          kafka,
          dataSource,
          groupId: subscription.groupId,
          topics: subscription.topics,
          handle: (event, manager) => this.handle(event, manager),
          log: (level, message, extra) => this.logger[level]({ consumer: extra }, message),
        })
      : null;
    if (this.consumer) metrics.track(this.consumer); // lag and dead letters on /metrics
  }

  onApplicationBootstrap(): void {
    // Joining the group must not hold up start-up (or readiness) while Kafka is away.
    this.consumer
      ?.start()
      .catch((error: Error) =>
        this.logger.warn({ error: error.message }, `${this.subscription.name} consumer not started`),
      );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  protected abstract handle(event: CloudEvent, manager: EntityManager): Promise<void>;
}
