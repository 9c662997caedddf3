import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OutboxRelay, outboxBacklog, type TopicSpec } from '@platform/events';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ServiceMetrics } from '../metrics/metrics';
import { KAFKA_CLIENT } from '../tokens';

export interface OutboxOptions {
  /** CloudEvents `source` of this service's events, e.g. `/identity-backend`. */
  source: string;
  /** Topics this service publishes to, created at start-up when missing. */
  topics: TopicSpec[];
}

export const OUTBOX_OPTIONS = Symbol('OUTBOX_OPTIONS');

/**
 * Runs the outbox relay for the life of the service (when a broker is configured)
 * and exposes the backlog as metrics. Without Kafka, events simply wait in the outbox.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay | null;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka | null,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    private readonly logger: PinoLogger,
    metrics: ServiceMetrics,
  ) {
    this.relay = kafka
      ? new OutboxRelay({
          dataSource,
          kafka,
          // Created (with our partition count) before the first publish, retried like a publish.
          topics: options.topics,
          log: (level, message, extra) => this.logger[level]({ outbox: extra }, message),
        })
      : null;
    this.registerMetrics(metrics);
  }

  onApplicationBootstrap(): void {
    if (!this.kafka || !this.relay) {
      this.logger.warn('KAFKA_BROKERS not set: events are kept in the outbox until a broker is configured');
      return;
    }
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }

  private registerMetrics(metrics: ServiceMetrics): void {
    const relay = this.relay;
    const dataSource = this.dataSource;
    const registers = [metrics.registry];
    new Gauge({
      name: 'outbox_backlog_messages',
      help: 'Events in the outbox not yet published to Kafka',
      registers,
      async collect() {
        this.set(dataSource.isInitialized ? (await outboxBacklog(dataSource)).unsent : 0);
      },
    });
    new Gauge({
      name: 'outbox_oldest_unsent_age_seconds',
      help: 'Age of the oldest unpublished event (0 when none)',
      registers,
      async collect() {
        this.set(dataSource.isInitialized ? (await outboxBacklog(dataSource)).oldestAgeSeconds : 0);
      },
    });
    new Gauge({
      name: 'outbox_published_events',
      help: 'Events this process has published since it started',
      registers,
      collect() {
        this.set(relay?.stats.published ?? 0);
      },
    });
    new Gauge({
      name: 'outbox_failed_publish_attempts',
      help: 'Publish attempts that failed (broker unreachable, ...) since start',
      registers,
      collect() {
        this.set(relay?.stats.failedAttempts ?? 0);
      },
    });
  }
}
