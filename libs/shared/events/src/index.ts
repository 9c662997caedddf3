export { toCloudEvent, type CloudEvent, type DomainEvent } from './cloud-event';
export { CreateOutboxMessages1764000001000 } from './create-outbox-messages.migration';
export { ensureTopics, type TopicSpec } from './ensure-topics';
export { createKafkaClient, type KafkaClientOptions } from './kafka-client';
export { KafkaConnectivity, type BrokerStatus } from './kafka-connectivity';
export { OutboxMessage } from './outbox-message.entity';
export {
  OutboxRelay,
  outboxBacklog,
  pruneSentMessages,
  type OutboxRelayOptions,
  type OutboxRelayStats,
} from './outbox-relay';
export { OUTBOX_CHANNEL, OutboxWriter } from './outbox-writer';
