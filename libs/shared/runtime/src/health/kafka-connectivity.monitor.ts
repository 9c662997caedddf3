import { type BeforeApplicationShutdown, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { KafkaConnectivity } from '@platform/events';
import { Gauge } from 'prom-client';
import { ServiceMetrics } from '../metrics/metrics';

/**
 * Probes the brokers in the background for the life of the service, so an outage is
 * timed from when it began, and exposes the answer for alerting:
 * `kafka_broker_reachable`, `kafka_broker_unreachable_seconds` and `kafka_broker_degraded`
 * (unreachable past KAFKA_DEGRADED_AFTER_SECONDS, or no brokers configured).
 */
@Injectable()
export class KafkaConnectivityMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  static readonly PROBE_INTERVAL_MS = 5_000;

  constructor(
    private readonly connectivity: KafkaConnectivity,
    metrics: ServiceMetrics,
  ) {
    const registers = [metrics.registry];
    const status = () => connectivity.status();
    new Gauge({
      name: 'kafka_broker_reachable',
      help: 'Whether the last probe reached the Kafka cluster (1) or not (0)',
      registers,
      async collect() {
        this.set((await status()).reachable ? 1 : 0);
      },
    });
    new Gauge({
      name: 'kafka_broker_unreachable_seconds',
      help: 'How long the Kafka cluster has been unreachable without a break (0 while reachable)',
      registers,
      async collect() {
        this.set((await status()).unreachableSeconds);
      },
    });
    new Gauge({
      name: 'kafka_broker_degraded',
      help: 'Kafka unreachable for longer than KAFKA_DEGRADED_AFTER_SECONDS, or not configured (1); events wait in the outbox',
      registers,
      async collect() {
        this.set((await status()).degraded ? 1 : 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    this.connectivity.start(KafkaConnectivityMonitor.PROBE_INTERVAL_MS);
  }

  beforeApplicationShutdown(): void {
    this.connectivity.stop();
  }
}
