import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SecurityEventTypes, SERVICE_ONLY_SCOPES } from '@platform/contracts';
import { randomToken, sha256Hex } from '@platform/crypto';
import { outboundGuard } from '@platform/outbound';
import { PLATFORM_ADMIN_SCOPE } from '@platform/resource-server';
import { Clock } from '@platform/runtime';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { newResourceTenant, type TenantScope } from '../access/management-access';
import { type SecurityEvent, SecurityEvents } from '../events/security-events';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { ClientError, ClientErrorCode } from './client-errors';
import { ClientsRepository } from './clients.repository';
import { type ClientType, type CreateClientDto, SECRETLESS_AUTH_METHODS, type UpdateClientDto } from './dto/client.dto';
import { OAuthClient } from './oauth-client.entity';
import { assertClientOutboundTargets } from './client-outbound-targets';
import { clientJwks } from './client-jwks';
import type { AuthorizationServerConfig } from '../config';
import { AUTHZ_CONFIG } from '../tokens';

const GRANTS: Record<ClientType, NonNullable<UpdateClientDto['grantTypes']>> = {
  service: ['client_credentials'],
  confidential: ['authorization_code', 'refresh_token'],
  spa: ['authorization_code', 'refresh_token'],
  native: ['authorization_code', 'refresh_token'],
};

/** What a client registered without `scopes` may ask for: signing users in, never an API's power. */
export const DEFAULT_SCOPES: Record<ClientType, readonly string[]> = {
  service: [],
  confidential: ['openid', 'profile', 'email', 'offline_access'],
  spa: ['openid', 'profile', 'email', 'offline_access'],
  native: ['openid', 'profile', 'email', 'offline_access'],
};

/** Grants that need an authenticated client. */
const CONFIDENTIAL_ONLY_GRANTS = new Set<string>([
  'password',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

export function assertGrantsFit(isPublic: boolean, grantTypes: readonly string[] | undefined): void {
  if (isPublic && grantTypes?.some((grant) => CONFIDENTIAL_ONLY_GRANTS.has(grant))) {
    throw new ClientError(
      ClientErrorCode.InvalidMetadata,
      'public clients cannot use the password, client_credentials or token exchange grants',
    );
  }
}

/**
 * identity.internal is the authorization server's own (no registration may hold it); platform.admin
 * only a platform client (bound to no tenant, so registered by a platform administrator).
 */
export function assertScopesAllowed(scopes: readonly string[] | undefined, tenantId: string | null): void {
  const reserved = (scopes ?? []).filter(
    (scope) => SERVICE_ONLY_SCOPES.includes(scope) || (scope === PLATFORM_ADMIN_SCOPE && tenantId !== null),
  );
  if (reserved.length) {
    throw new ClientError(
      ClientErrorCode.ReservedScope,
      tenantId === null
        ? 'identity.internal belongs to the authorization server itself'
        : "identity.internal and platform.admin are not available to a tenant's clients",
      { scopes: reserved },
    );
  }
}

/** RFC 8705 §2.1.2: how a tls_client_auth client's certificate is named (the provider allows one of them). */
const TLS_CLIENT_AUTH_SUBJECT_FIELDS = [
  ['tlsClientAuthSubjectDn', 'tls_client_auth_subject_dn'],
  ['tlsClientAuthSanDns', 'tls_client_auth_san_dns'],
  ['tlsClientAuthSanUri', 'tls_client_auth_san_uri'],
  ['tlsClientAuthSanIp', 'tls_client_auth_san_ip'],
  ['tlsClientAuthSanEmail', 'tls_client_auth_san_email'],
] as const;

/** The registration options, as RFC 7591 / OIDC metadata (and ours); only what `options` names. */
function optionMetadata(options: UpdateClientDto): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (options.name !== undefined) metadata.client_name = options.name;
  if (options.grantTypes !== undefined) {
    metadata.grant_types = options.grantTypes;
    metadata.response_types = options.grantTypes.includes('authorization_code') ? ['code'] : [];
  }
  if (options.redirectUris !== undefined) metadata.redirect_uris = options.redirectUris;
  if (options.postLogoutRedirectUris !== undefined) metadata.post_logout_redirect_uris = options.postLogoutRedirectUris;
  // No list (not an empty string, which the provider refuses) means no scope at all.
  if (options.scopes !== undefined) metadata.scope = options.scopes.length ? options.scopes.join(' ') : undefined;
  if (options.webOrigins !== undefined) metadata.web_origins = options.webOrigins.map((o) => new URL(o).origin);
  if (options.backchannelLogoutUri !== undefined) {
    // With the session id in ID tokens, so the app can tell which of its sessions a logout token ends.
    metadata.backchannel_logout_uri = options.backchannelLogoutUri;
    metadata.backchannel_logout_session_required = true;
  }
  if (options.dpopBoundAccessTokens !== undefined) metadata.dpop_bound_access_tokens = options.dpopBoundAccessTokens;
  if (options.tlsClientCertificateBoundAccessTokens !== undefined)
    metadata.tls_client_certificate_bound_access_tokens = options.tlsClientCertificateBoundAccessTokens;
  for (const [option, name] of TLS_CLIENT_AUTH_SUBJECT_FIELDS) {
    if (options[option] !== undefined) metadata[name] = options[option];
  }
  if (options.jwksUri !== undefined) metadata.jwks_uri = options.jwksUri;
  if (options.jwks !== undefined) metadata.jwks = clientJwks(options.jwks);
  if (options.requestObjectSigningAlg !== undefined)
    metadata.request_object_signing_alg = options.requestObjectSigningAlg;
  if (options.requirePkce !== undefined) metadata.require_pkce = options.requirePkce;
  if (options.idTokenSignedResponseAlg !== undefined)
    metadata.id_token_signed_response_alg = options.idTokenSignedResponseAlg;
  if (options.userinfoSignedResponseAlg !== undefined)
    metadata.userinfo_signed_response_alg = options.userinfoSignedResponseAlg;
  if (options.trusted !== undefined) metadata.trusted = options.trusted;
  if (options.accessTokenTtlSeconds !== undefined) metadata.access_token_ttl = options.accessTokenTtlSeconds;
  if (options.refreshTokenTtlSeconds !== undefined) metadata.refresh_token_ttl = options.refreshTokenTtlSeconds;
  return metadata;
}

/** Client registrations: secrets generated here, shown once, stored as SHA-256. */
@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
    private readonly oidc: OidcProviderHolder,
    private readonly security: SecurityEvents,
    private readonly cluster: ClusterConfig,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly clock: Clock,
  ) {}

  async create(
    scope: TenantScope,
    dto: CreateClientDto,
    actor: string | null = null,
  ): Promise<{ client: OAuthClient; secret: string | null }> {
    const tenantId = newResourceTenant(scope, dto.tenantId);
    assertScopesAllowed(dto.scopes, tenantId);
    const isPublic = dto.type === 'spa' || dto.type === 'native';
    assertGrantsFit(isPublic, dto.grantTypes);
    if (isPublic && dto.tokenEndpointAuthMethod) {
      throw new ClientError(
        ClientErrorCode.InvalidMetadata,
        'public clients do not authenticate at the token endpoint',
      );
    }
    const metadata: Record<string, unknown> = {
      redirect_uris: [],
      post_logout_redirect_uris: [],
      token_endpoint_auth_method: isPublic ? 'none' : (dto.tokenEndpointAuthMethod ?? 'client_secret_basic'),
      application_type: dto.type === 'native' ? 'native' : 'web',
      trusted: false,
      // A registration without a list may ask for no scope at all (oidc/known-scopes.ts).
      ...(DEFAULT_SCOPES[dto.type].length ? { scope: DEFAULT_SCOPES[dto.type].join(' ') } : {}),
      ...optionMetadata({ grantTypes: GRANTS[dto.type], ...dto }),
    };
    const clientId = randomUUID();
    const secret =
      isPublic || SECRETLESS_AUTH_METHODS.includes(dto.tokenEndpointAuthMethod ?? '') ? null : randomToken(32);
    await this.validate(clientId, metadata, secret);
    const registration = Object.assign(new OAuthClient(), {
      clientId,
      tenantId,
      name: dto.name,
      metadata,
      secretHash: secret ? sha256Hex(secret) : null,
      previousSecretHash: null,
      previousSecretExpiresAt: null,
    });
    const client = await this.changeRegistration(
      clientId,
      { type: SecurityEventTypes.clientCreated, data: { type: dto.type, actor } },
      (manager) => this.clients.save(manager, registration),
    );
    return { client, secret };
  }

  list(scope: TenantScope): Promise<OAuthClient[]> {
    return this.clients.list(scope);
  }

  /** Another tenant's client, or a platform client for a tenant's caller, answers like a missing one. */
  async get(scope: TenantScope, clientId: string): Promise<OAuthClient> {
    const client = await this.clients.find(scope, clientId);
    if (!client) throw new ClientError(ClientErrorCode.NotFound, 'Client not found');
    return client;
  }

  async remove(scope: TenantScope, clientId: string, actor: string | null = null): Promise<void> {
    await this.changeRegistration(
      clientId,
      { type: SecurityEventTypes.clientDeleted, data: { actor } },
      async (manager) => {
        const removed = await this.clients.remove(manager, scope, clientId);
        if (!removed) throw new ClientError(ClientErrorCode.NotFound, 'Client not found');
        return removed;
      },
    );
  }

  /** Changes a registration in place (validated by the provider's rules like a new one); tokens already issued stay valid. */
  async update(
    scope: TenantScope,
    clientId: string,
    dto: UpdateClientDto,
    actor: string | null = null,
  ): Promise<OAuthClient> {
    const client = await this.get(scope, clientId);
    assertScopesAllowed(dto.scopes, client.tenantId);
    assertGrantsFit(client.metadata.token_endpoint_auth_method === 'none', dto.grantTypes);
    const metadata = { ...client.metadata, ...optionMetadata(dto) };
    await this.validate(clientId, metadata, client.secretHash ? 'unchanged-secret-placeholder' : null);
    return this.changeRegistration(
      clientId,
      { type: SecurityEventTypes.clientUpdated, data: { changed: Object.keys(dto).sort(), actor } },
      (manager) => this.clients.save(manager, Object.assign(client, { metadata, name: dto.name ?? client.name })),
    );
  }

  /** A new secret, shown once; the previous one keeps working for the overlap window. */
  async rotateSecret(
    scope: TenantScope,
    clientId: string,
    overlapSeconds: number,
    actor: string | null = null,
  ): Promise<{ client: OAuthClient; secret: string }> {
    const client = await this.get(scope, clientId);
    if (!client.secretHash) throw new ClientError(ClientErrorCode.PublicClient, 'Public clients have no secret');
    const secret = randomToken(32);
    Object.assign(client, {
      previousSecretHash: client.secretHash,
      previousSecretExpiresAt: new Date(this.clock.nowMs() + overlapSeconds * 1000),
      secretHash: sha256Hex(secret),
    });
    const saved = await this.changeRegistration(
      clientId,
      { type: SecurityEventTypes.clientSecretRotated, data: { overlapSeconds, actor } },
      (manager) => this.clients.save(manager, client),
    );
    return { client: saved, secret };
  }

  /**
   * A registration written, announced to every replica and audited (its event about the client) in
   * one transaction, then reloaded here at once; the other replicas follow the announcement.
   */
  private async changeRegistration(
    clientId: string,
    event: Pick<SecurityEvent, 'type' | 'data'>,
    write: (manager: EntityManager) => Promise<OAuthClient>,
  ): Promise<OAuthClient> {
    const client = await this.dataSource.transaction(async (manager) => {
      const written = await write(manager);
      await this.cluster.announce(ConfigTopic.clients, manager);
      await this.security.append(manager, {
        type: event.type,
        subject: clientId,
        tenantId: written.tenantId,
        data: { clientId, ...event.data },
      });
      return written;
    });
    await this.cluster.reload(ConfigTopic.clients);
    return client;
  }

  /** The provider's own metadata rules (redirect URIs, grant/response type pairs, scopes...). */
  private async validate(clientId: string, metadata: Record<string, unknown>, secret: string | null): Promise<void> {
    await assertClientOutboundTargets(outboundGuard(this.config.OUTBOUND_ALLOW_PRIVATE_NETWORK), metadata);
    try {
      await this.oidc.provider.Client.validate({
        ...metadata,
        client_id: clientId,
        ...(secret ? { client_secret: sha256Hex(secret) } : {}),
      });
    } catch (error) {
      const { error: code, error_description: description } = error as { error?: string; error_description?: string };
      // The provider's own codes (RFC 7591 §3.2.2): a redirect URI, or any other metadata.
      throw new ClientError(
        code === ClientErrorCode.InvalidRedirectUri
          ? ClientErrorCode.InvalidRedirectUri
          : ClientErrorCode.InvalidMetadata,
        description ?? (error as Error).message,
      );
    }
  }
}
