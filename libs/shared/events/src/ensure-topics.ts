import type { Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  retentionMs?: number;
}

/**
 * Creates the topics that are missing and returns their names; safe to run from every
 * replica at every start. Existing topics are left exactly as they are: adding
 * partitions would move keys to other partitions and break per-key order, so that stays
 * a deliberate operator action.
 */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  // Replicas racing to create the same topics can see transient metadata errors
  // ("does not host this topic-partition") while leaders are elected: try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createMissingTopics(kafka, topics);
    } catch (error) {
      if (attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

async function createMissingTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    // Another replica may create the same topics meanwhile; kafkajs treats "already exists" as success.
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.numPartitions,
        configEntries: t.retentionMs === undefined ? [] : [{ name: 'retention.ms', value: String(t.retentionMs) }],
      })),
    });
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
