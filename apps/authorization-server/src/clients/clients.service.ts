import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomToken, sha256Hex } from '@platform/crypto';
import { ApiError } from '@platform/runtime';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecurityEvents } from '../events/security-events';
import { SecurityEventTypes } from '@platform/contracts';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { forgetCachedClient } from '../oidc/postgres-adapter';
import type { ClientType, CreateClientDto } from './dto/client.dto';
import { OAuthClient } from './oauth-client.entity';

const GRANTS: Record<ClientType, string[]> = {
  service: ['client_credentials'],
  confidential: ['authorization_code', 'refresh_token'],
  spa: ['authorization_code', 'refresh_token'],
  native: ['authorization_code', 'refresh_token'],
};

/** Grants that need an authenticated client. */
const CONFIDENTIAL_ONLY_GRANTS = new Set<string>([
  'password',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:token-exchange',
]);

/** Client registrations: secrets generated here, shown once, stored as SHA-256. */
@Injectable()
export class ClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly oidc: OidcProviderHolder,
    private readonly security: SecurityEvents,
  ) {}

  async create(
    dto: CreateClientDto,
    actor: string | null = null,
  ): Promise<{ client: OAuthClient; secret: string | null }> {
    const isPublic = dto.type === 'spa' || dto.type === 'native';
    if (isPublic && dto.grantTypes?.some((grant) => CONFIDENTIAL_ONLY_GRANTS.has(grant))) {
      throw new ApiError(
        400,
        'invalid_client_metadata',
        'public clients cannot use the password, client_credentials or token exchange grants',
      );
    }
    if (isPublic && dto.tokenEndpointAuthMethod) {
      throw new ApiError(400, 'invalid_client_metadata', 'public clients do not authenticate at the token endpoint');
    }
    const grantTypes = dto.grantTypes ?? GRANTS[dto.type];
    const metadata: Record<string, unknown> = {
      client_name: dto.name,
      grant_types: grantTypes,
      response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
      redirect_uris: dto.redirectUris ?? [],
      post_logout_redirect_uris: dto.postLogoutRedirectUris ?? [],
      token_endpoint_auth_method: isPublic ? 'none' : (dto.tokenEndpointAuthMethod ?? 'client_secret_basic'),
      application_type: dto.type === 'native' ? 'native' : 'web',
      ...(dto.scopes ? { scope: dto.scopes.join(' ') } : {}),
      ...(dto.webOrigins ? { web_origins: dto.webOrigins.map((o) => new URL(o).origin) } : {}),
      // With the session id in ID tokens, so the app can tell which of its sessions a logout token ends.
      ...(dto.backchannelLogoutUri
        ? { backchannel_logout_uri: dto.backchannelLogoutUri, backchannel_logout_session_required: true }
        : {}),
      ...(dto.dpopBoundAccessTokens ? { dpop_bound_access_tokens: true } : {}),
      ...(dto.jwksUri ? { jwks_uri: dto.jwksUri } : {}),
      trusted: dto.trusted === true,
    };
    const clientId = randomUUID();
    const secret = isPublic || dto.tokenEndpointAuthMethod === 'private_key_jwt' ? null : randomToken(32);
    await this.validate(clientId, metadata, secret);
    const client = await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        OAuthClient,
        Object.assign(new OAuthClient(), {
          clientId,
          tenantId: dto.tenantId ?? null,
          name: dto.name,
          metadata,
          secretHash: secret ? sha256Hex(secret) : null,
          previousSecretHash: null,
          previousSecretExpiresAt: null,
        }),
      );
      await this.security.append(manager, {
        type: SecurityEventTypes.clientCreated,
        subject: clientId,
        tenantId: saved.tenantId,
        data: { clientId, type: dto.type, actor },
      });
      return saved;
    });
    return { client, secret };
  }

  list(): Promise<OAuthClient[]> {
    return this.dataSource.manager.find(OAuthClient, { order: { createdAt: 'ASC' } });
  }

  async get(clientId: string): Promise<OAuthClient> {
    const client = await this.dataSource.manager.findOneBy(OAuthClient, { clientId });
    if (!client) throw new ApiError(404, 'client_not_found', 'Client not found');
    return client;
  }

  async remove(clientId: string, actor: string | null = null): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [[removed]] = await manager.query(`DELETE FROM oauth_clients WHERE client_id = $1 RETURNING tenant_id`, [
        clientId,
      ]);
      if (!removed) throw new ApiError(404, 'client_not_found', 'Client not found');
      await this.security.append(manager, {
        type: SecurityEventTypes.clientDeleted,
        subject: clientId,
        tenantId: removed.tenant_id,
        data: { clientId, actor },
      });
    });
    forgetCachedClient(clientId);
  }

  /** A new secret, shown once; the previous one keeps working for the overlap window. */
  async rotateSecret(
    clientId: string,
    overlapSeconds: number,
    actor: string | null = null,
  ): Promise<{ client: OAuthClient; secret: string }> {
    const client = await this.get(clientId);
    if (!client.secretHash) throw new ApiError(409, 'public_client', 'Public clients have no secret');
    const secret = randomToken(32);
    Object.assign(client, {
      previousSecretHash: client.secretHash,
      previousSecretExpiresAt: new Date(Date.now() + overlapSeconds * 1000),
      secretHash: sha256Hex(secret),
    });
    const saved = await this.dataSource.transaction(async (manager) => {
      await this.security.append(manager, {
        type: SecurityEventTypes.clientSecretRotated,
        subject: clientId,
        tenantId: client.tenantId,
        data: { clientId, overlapSeconds, actor },
      });
      return manager.save(OAuthClient, client);
    });
    forgetCachedClient(clientId);
    return { client: saved, secret };
  }

  /** The provider's own metadata rules (redirect URIs, grant/response type pairs, scopes...). */
  private async validate(clientId: string, metadata: Record<string, unknown>, secret: string | null): Promise<void> {
    const Client = (this.oidc.provider as unknown as { Client: { validate(m: object): Promise<void> } }).Client;
    try {
      await Client.validate({
        ...metadata,
        client_id: clientId,
        ...(secret ? { client_secret: sha256Hex(secret) } : {}),
      });
    } catch (error) {
      const { error: code, error_description: description } = error as { error?: string; error_description?: string };
      throw new ApiError(400, code ?? 'invalid_client_metadata', description ?? (error as Error).message);
    }
  }
}
