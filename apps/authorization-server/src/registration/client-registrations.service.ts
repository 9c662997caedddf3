import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecurityEventTypes } from '@platform/contracts';
import { sha256Hex } from '@platform/crypto';
import { outboundGuard } from '@platform/outbound';
import { DataSource } from 'typeorm';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { assertClientOutboundTargets } from '../clients/client-outbound-targets';
import { ClientError, ClientErrorCode } from '../clients/client-errors';
import { assertGrantsFit, assertScopesAllowed, DEFAULT_SCOPES } from '../clients/clients.service';
import { OAuthClient } from '../clients/oauth-client.entity';
import type { AuthorizationServerConfig } from '../config';
import { SecurityEvents } from '../events/security-events';
import { AUTHZ_CONFIG } from '../tokens';
import { InitialAccessTokensRepository } from './initial-access-tokens.repository';
import { RegistrationError, RegistrationErrorCode } from './registration-errors';

/** A registration asks for at most this many scopes (each already a known one: the provider checks). */
export const MAX_REGISTERED_SCOPES = 50;

const NAME_LENGTH = 200;

/** The default scope of a registration that names none: signing users in, never an API's power. */
export const DEFAULT_REGISTRATION_SCOPE = DEFAULT_SCOPES.confidential.join(' ');

/** What the provider stores a registration with, beyond its metadata: the request's initial access token. */
export interface RegistrationRequest {
  initialAccessToken?: string;
}

/**
 * Clients registered by their own developers (RFC 7591 at /reg, changed and deleted under RFC 7592):
 * node-oidc-provider parses the request and validates the metadata with the same Client schema
 * ClientsService.validate runs for the admin API, then stores through the ClientAdapter, which
 * lands here. Our own rules are the clients service's (reserved scopes, grants of public clients)
 * and the one outbound guard, so both ways of registering refuse the same things, and this is
 * the only place the provider writes oauth_clients: secrets hashed, the change announced to
 * every replica.
 *
 * Why the adapter rather than only registration policies: policies run before the provider fills
 * in its defaults (token_endpoint_auth_method, grant_types), so a policy would check metadata
 * that is not yet what gets stored; the adapter sees the final registration. The one policy we
 * bind to initial access tokens (registration-provider.ts) only fills in the default scope, so the
 * registration response shows what was stored.
 */
@Injectable()
export class ClientRegistrations {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: InitialAccessTokensRepository,
    private readonly cluster: ClusterConfig,
    private readonly security: SecurityEvents,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
  ) {}

  /** A new registration (with its initial access token) or an RFC 7592 update of one. */
  async upsert(clientId: string, registration: Record<string, unknown>, request: RegistrationRequest): Promise<void> {
    const { client_secret: secret, client_secret_expires_at: _expires, client_id: _id, ...metadata } = registration;
    const existing = await this.dataSource.manager.findOneBy(OAuthClient, { clientId });
    const grant = existing ? undefined : await this.grantOf(request.initialAccessToken);
    const tenantId = existing ? existing.tenantId : grant!.tenantId;
    await this.validate(metadata, tenantId);
    const secretHash = typeof secret === 'string' ? this.hashOf(secret, existing) : null;
    const changed = existing ? changedKeys(existing.metadata, metadata) : [];
    await this.dataSource.transaction(async (manager) => {
      if (!existing && !(await this.tokens.use(manager, request.initialAccessToken!))) {
        throw new RegistrationError(RegistrationErrorCode.InvalidToken, 'initial access token used up');
      }
      const client = Object.assign(existing ?? new OAuthClient(), {
        clientId,
        tenantId,
        name: (typeof metadata.client_name === 'string' ? metadata.client_name : 'Registered client').slice(
          0,
          NAME_LENGTH,
        ),
        metadata,
        secretHash,
        ...(existing ? {} : { previousSecretHash: null, previousSecretExpiresAt: null }),
      });
      await manager.save(OAuthClient, client);
      await this.cluster.announce(ConfigTopic.clients, manager);
      await this.security.append(
        manager,
        existing
          ? {
              type: SecurityEventTypes.clientUpdated,
              subject: clientId,
              tenantId,
              data: { clientId, changed, actor: clientId },
            }
          : {
              type: SecurityEventTypes.clientCreated,
              subject: clientId,
              tenantId,
              data: { clientId, type: 'dynamic', actor: grant!.createdBy },
            },
      );
    });
    await this.cluster.reload(ConfigTopic.clients);
  }

  /** RFC 7592 delete (the provider checked the registration access token). */
  async destroy(clientId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const client = await manager.findOneBy(OAuthClient, { clientId });
      if (!client) return;
      await manager.delete(OAuthClient, { clientId });
      await this.cluster.announce(ConfigTopic.clients, manager);
      await this.security.append(manager, {
        type: SecurityEventTypes.clientDeleted,
        subject: clientId,
        tenantId: client.tenantId,
        data: { clientId, actor: clientId },
      });
    });
    await this.cluster.reload(ConfigTopic.clients);
  }

  private async grantOf(token: string | undefined) {
    const grant = token ? await this.tokens.find(token) : undefined;
    if (!grant) throw new RegistrationError(RegistrationErrorCode.InvalidToken, 'initial access token not found');
    return grant;
  }

  /** The admin API's rules, on the registration as the provider will store it. */
  private async validate(metadata: Record<string, unknown>, tenantId: string | null): Promise<void> {
    const scopes = typeof metadata.scope === 'string' ? metadata.scope.split(' ').filter(Boolean) : [];
    if (!scopes.length || scopes.length > MAX_REGISTERED_SCOPES) {
      throw new ClientError(ClientErrorCode.InvalidMetadata, `scope must list 1 to ${MAX_REGISTERED_SCOPES} scopes`);
    }
    assertScopesAllowed(scopes, tenantId);
    const grantTypes = Array.isArray(metadata.grant_types) ? metadata.grant_types.map(String) : [];
    assertGrantsFit(metadata.token_endpoint_auth_method === 'none', grantTypes);
    // First-party status (no consent page) is the platform's to give, through the admin API.
    if (metadata.trusted === true) {
      throw new ClientError(ClientErrorCode.InvalidMetadata, 'trusted clients are registered through the admin API');
    }
    await assertClientOutboundTargets(outboundGuard(this.config.OUTBOUND_ALLOW_PRIVATE_NETWORK), metadata);
  }

  /** On an update the provider hands back the stored hash as the "secret"; a new secret is hashed. */
  private hashOf(secret: string, existing: OAuthClient | null): string {
    const stored = existing?.secretHash?.trim();
    return stored && stored === secret ? stored : sha256Hex(secret);
  }
}

function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}
