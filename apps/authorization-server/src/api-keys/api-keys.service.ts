import { Inject, Injectable } from '@nestjs/common';
import { sha256Hex } from '@platform/crypto';
import { SERVICE_ONLY_SCOPES } from '@platform/contracts';
import { Clock } from '@platform/runtime';
import { newResourceTenant, type TenantScope } from '../access/management-access';
import { ClientsRepository } from '../clients/clients.repository';
import type { AuthorizationServerConfig } from '../config';
import { ResourceServers } from '../resource-servers/resource-servers';
import { AUTHZ_CONFIG } from '../tokens';
import { ApiKey } from './api-key.entity';
import { ApiKeyError, ApiKeyErrorCode } from './api-key-errors';
import { generateApiKey } from './api-key-format';
import { ApiKeysRepository } from './api-keys.repository';
import type { CreateApiKeyDto, ListApiKeysQuery } from './dto/api-key.dto';

/** Who manages keys, and the tenants they reach (ALL_TENANTS: platform administrators only). */
export interface ApiKeyActor {
  subject: string;
  scope: TenantScope;
}

/** API key management: keys generated here, shown once, stored as SHA-256, revoked rather than deleted. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clients: ClientsRepository,
    private readonly resourceServers: ResourceServers,
    private readonly clock: Clock,
    @Inject(AUTHZ_CONFIG) private readonly config: Pick<AuthorizationServerConfig, 'API_KEY_MAX_TTL_SECONDS'>,
  ) {}

  async create(dto: CreateApiKeyDto, actor: ApiKeyActor): Promise<{ apiKey: ApiKey; key: string }> {
    const { clientId, tenantId, allowedScopes } = await this.owner(dto, actor);
    const scopes = [...new Set(dto.scopes)];
    await this.checkScopes(dto.audience, scopes, allowedScopes);
    const expiresAt = this.expiry(dto.expiresAt);
    const { id, key } = generateApiKey();
    const apiKey = await this.keys.save(
      Object.assign(new ApiKey(), {
        id,
        name: dto.name,
        clientId,
        tenantId,
        audience: dto.audience,
        scopes,
        secretHash: sha256Hex(key),
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        createdBy: actor.subject,
      }),
    );
    return { apiKey, key };
  }

  /** The scope's keys (its `tenantId` query parameter is the scope itself, see @ManagedTenant). */
  list(actor: ApiKeyActor, query: ListApiKeysQuery): Promise<ApiKey[]> {
    return this.keys.list(actor.scope, query.clientId);
  }

  async get(id: string, actor: ApiKeyActor): Promise<ApiKey> {
    // Another tenant's key answers exactly like a missing one.
    const apiKey = await this.keys.find(actor.scope, id);
    if (!apiKey) throw new ApiKeyError(ApiKeyErrorCode.NotFound, 'API key not found');
    return apiKey;
  }

  /** Revoked keys stay listed (with revokedAt) for audit; revoking twice changes nothing. */
  async revoke(id: string, actor: ApiKeyActor): Promise<void> {
    const apiKey = await this.get(id, actor);
    await this.keys.revoke(apiKey.id);
  }

  private async owner(
    dto: CreateApiKeyDto,
    actor: ApiKeyActor,
  ): Promise<{ clientId: string | null; tenantId: string | null; allowedScopes: Set<string> | null }> {
    if (dto.clientId) {
      const client = await this.clients.find(actor.scope, dto.clientId);
      if (!client) {
        throw new ApiKeyError(ApiKeyErrorCode.UnknownClient, `No client ${dto.clientId}`);
      }
      if (dto.tenantId && dto.tenantId !== client.tenantId) {
        throw new ApiKeyError(ApiKeyErrorCode.TenantMismatch, 'The client belongs to another tenant');
      }
      const registered = client.metadata.scope;
      return {
        clientId: client.clientId,
        tenantId: client.tenantId,
        allowedScopes: typeof registered === 'string' ? new Set(registered.split(' ')) : null,
      };
    }
    const tenantId = newResourceTenant(actor.scope, dto.tenantId);
    if (!tenantId) {
      throw new ApiKeyError(ApiKeyErrorCode.OwnerRequired, 'Name the clientId or the tenantId the key belongs to');
    }
    return { clientId: null, tenantId, allowedScopes: null };
  }

  /** Scopes of the key's resource server only, never a reserved one, and within its client's registration. */
  private async checkScopes(audience: string, scopes: string[], allowedScopes: Set<string> | null): Promise<void> {
    const server = await this.resourceServers.find(audience);
    if (!server) throw new ApiKeyError(ApiKeyErrorCode.UnknownResource, `No resource server ${audience}`);
    const known = new Set(server.scopes);
    const refused = scopes.filter(
      (scope) =>
        !known.has(scope) || SERVICE_ONLY_SCOPES.includes(scope) || (allowedScopes && !allowedScopes.has(scope)),
    );
    if (refused.length) {
      throw new ApiKeyError(ApiKeyErrorCode.InvalidScope, 'Scopes not available to this key', { scopes: refused });
    }
  }

  private expiry(requested: string | undefined): Date {
    const maxSeconds = this.config.API_KEY_MAX_TTL_SECONDS;
    const now = this.clock.nowMs();
    const latest = now + maxSeconds * 1000;
    if (requested === undefined) return new Date(latest);
    const at = new Date(requested);
    if (at.getTime() <= now) throw new ApiKeyError(ApiKeyErrorCode.InvalidExpiry, 'expiresAt is in the past');
    if (at.getTime() > latest) {
      throw new ApiKeyError(ApiKeyErrorCode.InvalidExpiry, `expiresAt is more than ${maxSeconds} seconds ahead`, {
        maxSeconds,
      });
    }
    return at;
  }
}
