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

/**
 * Where existing topics differ from their spec (partition count, or `retention.ms` when
 * the spec sets one), as one sentence each for a start-up warning. Nothing is changed:
 * partitions because that breaks per-key order, retention because kafkajs can only
 * replace a topic's whole configuration, which would drop settings made by operators.
 */
export async function topicDrift(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  if (topics.length === 0) return [];
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = topics.map((t) => t.topic);
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics: names });
    const withRetention = topics.filter((t) => t.retentionMs !== undefined);
    const { resources } = withRetention.length
      ? await admin.describeConfigs({
          includeSynonyms: false,
          resources: withRetention.map((t) => ({ type: 2 /* TOPIC */, name: t.topic, configNames: ['retention.ms'] })),
        })
      : { resources: [] };
    const drift: string[] = [];
    for (const spec of topics) {
      const partitions = metadata.find((m) => m.name === spec.topic)?.partitions.length;
      if (partitions !== undefined && partitions !== spec.numPartitions) {
        drift.push(`topic ${spec.topic} has ${partitions} partitions, configured ${spec.numPartitions}; left as is`);
      }
      const retention = resources
        .find((r) => r.resourceName === spec.topic)
        ?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue;
      if (spec.retentionMs !== undefined && retention !== undefined && retention !== String(spec.retentionMs)) {
        drift.push(`topic ${spec.topic} has retention.ms=${retention}, configured ${spec.retentionMs}; left as is`);
      }
    }
    return drift;
  } finally {
    await admin.disconnect();
  }
}
