import { Injectable } from '@nestjs/common';
import type { EventConsumer } from '@platform/events';
import { Counter, Gauge } from 'prom-client';
import { ServiceMetrics } from '../metrics/metrics';

/** A scrape waits this long for the broker's offsets before leaving the lag out. */
const LAG_TIMEOUT_MS = 2_000;
const OUTCOMES = { applied: 'applied', duplicates: 'duplicate' } as const;

/**
 * Metrics of the event consumers a service runs (call `track` once per consumer):
 *   - `kafka_consumer_lag_messages{consumer_group,topic,partition}`: messages after the
 *     group's committed offset, asked of the broker at scrape time (absent while it is
 *     unreachable: the lag is then unknown, and `kafka_broker_reachable` says why);
 *   - `event_consumer_dead_lettered_total{consumer_group,topic}`: messages parked on `<topic>.dlq`;
 *   - `event_consumer_events_total{consumer_group,topic,outcome}`: `applied` or `duplicate` (skipped).
 */
@Injectable()
export class EventConsumerMetrics {
  private readonly consumers = new Set<EventConsumer>();

  constructor(metrics: ServiceMetrics) {
    const consumers = this.consumers;
    const registers = [metrics.registry];
    new Gauge({
      name: 'kafka_consumer_lag_messages',
      help: "Messages waiting for a consumer group: partition high watermark minus the group's committed offset",
      labelNames: ['consumer_group', 'topic', 'partition'],
      registers,
      async collect() {
        const measured = await Promise.all(
          [...consumers].map(async (consumer) => ({
            consumer,
            lag: await withTimeout(consumer.lag()).catch(() => []),
          })),
        );
        this.reset();
        for (const { consumer, lag } of measured) {
          for (const p of lag) {
            this.set({ consumer_group: consumer.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
          }
        }
      },
    });

    // Counters mirroring the consumers' own monotonic counts: each scrape adds what is new.
    const syncDeadLettered = mirror();
    new Counter({
      name: 'event_consumer_dead_lettered_total',
      help: 'Messages that could not be applied and were parked on the dead-letter topic <topic>.dlq',
      labelNames: ['consumer_group', 'topic'],
      registers,
      collect() {
        for (const consumer of consumers) {
          for (const topic of consumer.topics) {
            const total = consumer.statsByTopic.get(topic)?.deadLettered ?? 0;
            syncDeadLettered(this, { consumer_group: consumer.groupId, topic }, total);
          }
        }
      },
    });
    const syncEvents = mirror();
    new Counter({
      name: 'event_consumer_events_total',
      help: 'Events consumed: applied, or skipped as a duplicate of one already applied',
      labelNames: ['consumer_group', 'topic', 'outcome'],
      registers,
      collect() {
        for (const consumer of consumers) {
          for (const topic of consumer.topics) {
            const stats = consumer.statsByTopic.get(topic);
            for (const [field, outcome] of Object.entries(OUTCOMES)) {
              const total = stats?.[field as keyof typeof OUTCOMES] ?? 0;
              syncEvents(this, { consumer_group: consumer.groupId, topic, outcome }, total);
            }
          }
        }
      },
    });
  }

  track(consumer: EventConsumer): void {
    this.consumers.add(consumer);
  }
}

/** Keeps a prom-client counter equal to an external monotonic total (per label set). */
function mirror() {
  const reported = new Map<string, number>();
  return (counter: Counter<string>, labels: Record<string, string>, total: number): void => {
    const key = JSON.stringify(labels);
    const before = reported.get(key) ?? 0;
    counter.inc(labels, Math.max(0, total - before)); // also creates the series at 0
    reported.set(key, Math.max(total, before));
  };
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), LAG_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
