import { createKafkaClient, ensureTopics } from '@platform/events';
import { randomUUID } from 'node:crypto';
import { testKafkaBrokers } from './test-database';

/**
 * A fresh consumer group for one test platform, positioned at the end of `topics[0]`: platforms
 * of parallel suites share one broker, and a group of their own (rather than a shared one that
 * would split partitions, and events, between them) must not replay every earlier suite's
 * events. All `topics` are created first (a consumer may subscribe before their producer starts).
 */
export async function consumerGroupAtTopicEnd(prefix: string, topics: [string, ...string[]]): Promise<string> {
  const groupId = `${prefix}-${randomUUID().slice(0, 8)}`;
  const kafka = createKafkaClient({ clientId: 'e2e-harness', brokers: testKafkaBrokers() });
  await ensureTopics(
    kafka,
    topics.map((topic) => ({ topic, numPartitions: 6 })),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Right after creation a busy broker may not serve the new partitions yet ("does not host
    // this topic-partition", retriable): wait for it rather than fail the suite's set-up.
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.resetOffsets({ groupId, topic: topics[0], earliest: false });
        return groupId;
      } catch (error) {
        if (attempt >= 60 || (error as { retriable?: boolean }).retriable === false) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await admin.disconnect();
  }
}
