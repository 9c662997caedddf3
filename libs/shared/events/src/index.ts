export {
  CLOUD_EVENT_CONTENT_TYPE,
  cloudEventHeaders,
  toCloudEvent,
  type CloudEvent,
  type DomainEvent,
} from './cloud-event';
export { CreateOutboxMessages1764000001000 } from './create-outbox-messages.migration';
export { ensureTopics, type TopicSpec, topicDrift } from './ensure-topics';
export { createKafkaClient, type KafkaClientOptions } from './kafka-client';
export { KafkaConnectivity, type BrokerStatus, type KafkaConnectivityOptions } from './kafka-connectivity';
export { OutboxMessage } from './outbox-message.entity';
export { OUTBOX_RELAY_LOCK_ID, outboxBacklog, pruneSentMessages, type OutboxBacklog } from './outbox-queries';
export { OutboxRelay, type OutboxRelayOptions, type OutboxRelayStats } from './outbox-relay';
export { MAX_EVENT_BYTES, OUTBOX_CHANNEL, OutboxEventRejectedError, OutboxWriter } from './outbox-writer';
export { CreateProcessedEvents1764000011000 } from './create-processed-events.migration';
export { consumerGroupLag, type PartitionLag } from './consumer-lag';
export { EventConsumer, type EventConsumerOptions } from './event-consumer';
export { ProcessedEvent } from './processed-event.entity';
