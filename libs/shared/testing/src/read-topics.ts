import { randomUUID } from 'node:crypto';
import type { Consumer, ConsumerConfig, Kafka, KafkaMessage } from 'kafkajs';

/**
 * A running consumer in a group of its own (`group` plus a random suffix, so that no other suite
 * shares its partitions), reading `topics` from the beginning and handing each message to
 * `onMessage`: how the suites watch what a service published. Disconnect it when done.
 */
export async function readTopicsFromStart(
  kafka: Kafka,
  group: string,
  topics: string[],
  onMessage: (message: KafkaMessage) => void,
  options: Omit<ConsumerConfig, 'groupId'> = {},
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId: `${group}-${randomUUID()}`, ...options });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => onMessage(message) });
  return consumer;
}
