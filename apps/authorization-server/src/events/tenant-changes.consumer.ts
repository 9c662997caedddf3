import { Inject, Injectable } from '@nestjs/common';
import type { CloudEvent } from '@platform/events';
import type { EntityManager } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import type { AuthorizationServerConfig } from '../config';
import { AUTHZ_CONFIG } from '../tokens';
import { ConsumerInfrastructure, ServiceEventConsumer } from './service-event-consumer';

/**
 * Tenant changes in the identity backend (name, branding, IdPs) reach the hosted pages' caches of
 * every replica: the one replica that receives the event announces a `tenants` change through the
 * shared database (in the transaction that records the event as processed), and all replicas drop
 * what they cached.
 */
@Injectable()
export class TenantChangesConsumer extends ServiceEventConsumer {
  constructor(
    infrastructure: ConsumerInfrastructure,
    @Inject(AUTHZ_CONFIG) config: AuthorizationServerConfig,
    private readonly cluster: ClusterConfig,
  ) {
    super(infrastructure, {
      groupId: `${config.USER_EVENTS_CONSUMER_GROUP}.tenants`,
      topics: [config.TENANT_EVENTS_TOPIC],
      name: 'tenant changes',
    });
  }

  protected async handle(event: CloudEvent, manager: EntityManager): Promise<void> {
    if (event.type === 'identity.tenant.created.v1') return; // nothing cached about a tenant that did not exist
    await this.cluster.announce(ConfigTopic.tenants, manager);
  }
}
