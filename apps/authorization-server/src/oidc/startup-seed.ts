import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AUTHZ_API_SCOPES, IDENTITY_API_SCOPES } from '@platform/contracts';
import { DataSource } from 'typeorm';
import type { AuthorizationServerConfig } from '../config';
import { SigningKeys } from '../keys/signing-keys.service';
import { ResourceServers } from '../resource-servers/resource-servers';
import { AUTHZ_CONFIG } from '../tokens';
import {
  AUTHZ_API_SCOPE_DESCRIPTIONS,
  AUTHZ_API_SCOPE_PERMISSIONS,
  ensureAdminCliClient,
  IDENTITY_API_PERMISSIONS_ADDED_LATER,
  IDENTITY_API_SCOPE_DESCRIPTIONS,
  IDENTITY_API_SCOPE_PERMISSIONS,
  widenBootstrapScopes,
  widenScopePermissions,
} from './bootstrap';
import { ensureDemoClient, narrowDemoClient } from './demo-client';

/**
 * The start-up step that makes a fresh (or older) database usable: a signing key, the platform's
 * two APIs, and the bootstrapped clients. Idempotent; it runs on every start of every replica
 * before the first provider is built, because the provider is built from the keys and APIs it ensures.
 */
@Injectable()
export class StartupSeed {
  private readonly log = new Logger('Bootstrap');

  constructor(
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: SigningKeys,
    private readonly resourceServers: ResourceServers,
  ) {}

  async run(): Promise<void> {
    await this.keys.ensureKeys();
    await this.ensurePlatformApis();
    await this.ensureClients();
  }

  private async ensurePlatformApis(): Promise<void> {
    await this.resourceServers.ensure({
      identifier: this.config.IDENTITY_API_AUDIENCE,
      name: 'Identity Platform API',
      scopes: [...IDENTITY_API_SCOPES],
      includePermissions: true,
      scopePermissions: IDENTITY_API_SCOPE_PERMISSIONS,
      scopeDescriptions: IDENTITY_API_SCOPE_DESCRIPTIONS,
    });
    await this.resourceServers.ensure({
      identifier: this.config.AUTHZ_API_AUDIENCE,
      name: 'Authorization Server management API',
      scopes: [...AUTHZ_API_SCOPES],
      includePermissions: true,
      scopePermissions: AUTHZ_API_SCOPE_PERMISSIONS,
      scopeDescriptions: AUTHZ_API_SCOPE_DESCRIPTIONS,
    });
    const audience = this.config.IDENTITY_API_AUDIENCE;
    for (const change of await widenScopePermissions(this.dataSource, audience, IDENTITY_API_PERMISSIONS_ADDED_LATER)) {
      this.log.log(change);
    }
  }

  /** The bootstrapped clients (a new first-party client is ensured here too). */
  private async ensureClients(): Promise<void> {
    const { config, dataSource } = this;
    if (config.BOOTSTRAP_DEMO_CLIENT && (await ensureDemoClient(dataSource))) {
      this.log.log('created the public client "demo" (device flow, code + PKCE to loopback)');
    }
    if (await narrowDemoClient(dataSource)) {
      this.log.log('removed identity.users.read from the public client "demo"');
    }
    const generated = await ensureAdminCliClient(dataSource, config.BOOTSTRAP_ADMIN_CLI_SECRET);
    if (generated) {
      this.log.warn(`created client "admin-cli"; its secret, shown only now: ${generated}`);
    }
    for (const change of await widenBootstrapScopes(dataSource, config.AUTHZ_API_AUDIENCE)) {
      this.log.log(change);
    }
  }
}
