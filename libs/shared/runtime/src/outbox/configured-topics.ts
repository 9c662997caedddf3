import type { ServiceConfig } from '@platform/config';
import type { TopicSpec } from '@platform/events';

/**
 * The topics a service publishes to, as its config says to create them at start-up: every one
 * with the configured partitions and retention (0 hours leaves retention to the broker).
 */
export function configuredTopics(config: ServiceConfig, topics: readonly string[]): TopicSpec[] {
  const hours = config.KAFKA_TOPIC_RETENTION_HOURS;
  const retentionMs = hours ? hours * 3_600_000 : undefined;
  return topics.map((topic) => ({ topic, numPartitions: config.KAFKA_TOPIC_PARTITIONS, retentionMs }));
}
