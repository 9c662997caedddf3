import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type CloudEvent, EventConsumer } from '@platform/events';
import { EventConsumerMetrics, KAFKA_CLIENT } from '@platform/runtime';
import type { Kafka } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import type { AuthorizationServerConfig } from '../config';
import { AUTHZ_CONFIG } from '../tokens';

/**
 * Tenant changes in the identity backend (name, branding, IdPs) reach the hosted pages' caches of
 * every replica: the one replica that receives the event announces a `tenants` change through the
 * shared database (in the transaction that records the event as processed), and all replicas drop
 * what they cached.
 */
@Injectable()
export class TenantChangesConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: EventConsumer | null;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka | null,
    @InjectDataSource() dataSource: DataSource,
    @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig,
    private readonly cluster: ClusterConfig,
    private readonly logger: PinoLogger,
    consumerMetrics: EventConsumerMetrics,
  ) {
    this.consumer = kafka
      ? new EventConsumer({
          kafka,
          dataSource,
          groupId: `${config.USER_EVENTS_CONSUMER_GROUP}.tenants`,
          topics: [config.TENANT_EVENTS_TOPIC],
          handle: (event, manager) => this.handle(event, manager),
          log: (level, message, extra) => this.logger[level]({ consumer: extra }, message),
        })
      : null;
    if (this.consumer) consumerMetrics.track(this.consumer);
  }

  onApplicationBootstrap(): void {
    this.consumer
      ?.start()
      .catch((error: Error) => this.logger.warn({ error: error.message }, 'tenant changes consumer not started'));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }

  private async handle(event: CloudEvent, manager: EntityManager): Promise<void> {
    if (event.type === 'identity.tenant.created.v1') return; // nothing cached about a tenant that did not exist
    await this.cluster.announce(ConfigTopic.tenants, manager);
  }
}
