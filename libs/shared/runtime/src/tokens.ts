/** The KafkaJS client of this service, or null when KAFKA_BROKERS is unset. */
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
