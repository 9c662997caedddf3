import type { Admin } from 'kafkajs';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Messages on the partition after the group's committed offset. */
  lag: number;
  /** The group's committed offset; null when it never committed on this partition. */
  committedOffset: number | null;
  highWatermark: number;
}

/**
 * How far a consumer group is behind, per partition: the high watermark minus the
 * group's committed offset (the same figure `kafka-consumer-groups --describe` shows).
 * Measured at the broker, so it keeps rising when the consumer is stuck, crashed or was
 * never started. A partition without a committed offset counts from its log start
 * (the platform's consumers read from the beginning). Costs one OffsetFetch plus two
 * ListOffsets requests per topic.
 */
export async function consumerGroupLag(admin: Admin, groupId: string, topics: string[]): Promise<PartitionLag[]> {
  const [committed, ...ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics }),
    ...topics.map((topic) => admin.fetchTopicOffsets(topic)),
  ]);
  return topics.flatMap((topic, i) => {
    const offsets = new Map(
      (committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    return ends[i].map(({ partition, high, low }) => {
      const offset = offsets.get(partition);
      const committedOffset = offset !== undefined && offset >= 0 ? offset : null;
      // Messages below the log start are gone (retention): they cannot be waiting.
      const from = Math.max(committedOffset ?? 0, Number(low));
      return {
        topic,
        partition,
        lag: Math.max(0, Number(high) - from),
        committedOffset,
        highWatermark: Number(high),
      };
    });
  });
}
