import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@platform/runtime';
import { randomUUID } from 'node:crypto';
import { newResourceTenant, type TenantScope } from '../access/management-access';
import type { AuthorizationServerConfig } from '../config';
import { OidcProviderHolder } from '../oidc/oidc-provider.holder';
import { AUTHZ_CONFIG } from '../tokens';
import { type CreateInitialAccessTokenDto, DEFAULT_INITIAL_ACCESS_TOKEN_TTL } from './dto/initial-access-token.dto';
import { InitialAccessTokensRepository, type InitialAccessTokenRow } from './initial-access-tokens.repository';
import { RegistrationError, RegistrationErrorCode } from './registration-errors';
import { TENANT_REGISTRATION_POLICY } from './registration-provider';

interface InitialAccessTokenModel {
  save(): Promise<string>;
}
type ProviderWithRegistration = {
  InitialAccessToken: new (init: { expiresIn: number; policies: string[] }) => InitialAccessTokenModel;
};

/**
 * Initial access tokens (RFC 7591 §3): an admin issues one for a tenant and hands it to a
 * partner, whose registrations at /reg become that tenant's clients. oidc-provider's own model,
 * stored by our adapter; the tenant and use limit ride in the same row (repository).
 */
@Injectable()
export class InitialAccessTokensService {
  constructor(
    private readonly oidc: OidcProviderHolder,
    private readonly tokens: InitialAccessTokensRepository,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    private readonly clock: Clock,
  ) {}

  async issue(
    scope: TenantScope,
    dto: CreateInitialAccessTokenDto,
    actor: string | null,
  ): Promise<InitialAccessTokenRow & { token: string }> {
    if (!this.config.DYNAMIC_CLIENT_REGISTRATION) {
      throw new RegistrationError(RegistrationErrorCode.Disabled, 'dynamic client registration is off');
    }
    const tenantId = newResourceTenant(scope, dto.tenantId);
    // Registered clients are a tenant's: a platform client (no tenant) only through the admin API.
    if (!tenantId) {
      throw new RegistrationError(
        RegistrationErrorCode.TenantRequired,
        'name the tenant the token registers clients for',
      );
    }
    const expiresIn = dto.expiresInSeconds ?? DEFAULT_INITIAL_ACCESS_TOKEN_TTL;
    const provider = this.oidc.provider as unknown as ProviderWithRegistration;
    const token = await new provider.InitialAccessToken({ expiresIn, policies: [TENANT_REGISTRATION_POLICY] }).save();
    const grant = { id: randomUUID(), tenantId, maxUses: dto.maxUses ?? null, uses: 0, createdBy: actor };
    await this.tokens.describe(token, grant);
    const createdAt = this.clock.now();
    return { ...grant, token, createdAt, expiresAt: new Date(createdAt.getTime() + expiresIn * 1000) };
  }

  list(scope: TenantScope): Promise<InitialAccessTokenRow[]> {
    return this.tokens.list(scope);
  }

  async revoke(scope: TenantScope, id: string): Promise<void> {
    if (!(await this.tokens.revoke(scope, id))) {
      throw new RegistrationError(RegistrationErrorCode.NotFound, 'Initial access token not found');
    }
  }
}
