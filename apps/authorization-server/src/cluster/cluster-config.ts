import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { announceConfigChange, ClusterConfigWatcher } from '@platform/database';
import { DataSource, type EntityManager } from 'typeorm';

/** What replicas hold in memory and must reload when any replica changes it. */
export const ConfigTopic = {
  /** Signing keys and their status: the provider is rebuilt with the new key set. */
  signingKeys: 'signing-keys',
  /** Resource servers (APIs), their scopes and mappings: the provider is rebuilt. */
  resourceServers: 'resource-servers',
  /** Custom scopes and claims: the provider is rebuilt. */
  customScopes: 'custom-scopes',
  /** Client registrations and secrets: the client caches are dropped. */
  clients: 'clients',
  /** Tenant names, branding and IdPs (from the identity backend's tenant events). */
  tenants: 'tenants',
} as const;
export type ConfigTopic = (typeof ConfigTopic)[keyof typeof ConfigTopic];

/**
 * Replicas behave as one (DESIGN §4): a change of shared configuration is announced through the
 * database every replica uses (a version bump + NOTIFY, committed with the change), and every
 * replica — the one that made it included — runs the reloads registered for that topic, within
 * a second through LISTEN and at the latest at the next version check.
 */
@Injectable()
export class ClusterConfig implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly reloads = new Map<ConfigTopic, (() => Promise<void> | void)[]>();
  private readonly watcher: ClusterConfigWatcher;
  private readonly log = new Logger('ClusterConfig');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    const handlers = Object.fromEntries(Object.values(ConfigTopic).map((topic) => [topic, () => this.reload(topic)]));
    this.watcher = new ClusterConfigWatcher(dataSource, handlers, {
      log: (level, message, extra) =>
        this.log[level === 'warn' ? 'warn' : 'error'](`${message} ${JSON.stringify(extra ?? {})}`),
    });
  }

  /** Registers what this replica does when `topic` changes anywhere. */
  onChange(topic: ConfigTopic, reload: () => Promise<void> | void): void {
    this.reloads.set(topic, [...(this.reloads.get(topic) ?? []), reload]);
  }

  /**
   * Tells every replica that `topic` changed; pass the change's transaction so the announcement
   * commits (or rolls back) with it. This replica reloads at once too: the caller's next read sees
   * its own change.
   */
  async announce(topic: ConfigTopic, manager?: EntityManager): Promise<void> {
    await announceConfigChange(manager ?? this.dataSource, topic);
    if (!manager) await this.reload(topic);
  }

  /** For changes made in a transaction: reload here once it has committed. */
  async reload(topic: ConfigTopic): Promise<void> {
    for (const reload of this.reloads.get(topic) ?? []) await reload();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.watcher.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.watcher.stop();
  }
}
