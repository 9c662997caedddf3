export { createKafkaClient, type KafkaClientOptions } from './kafka-client';
export { KafkaConnectivity, type BrokerStatus } from './kafka-connectivity';
