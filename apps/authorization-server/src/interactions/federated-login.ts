import { Inject, Injectable } from '@nestjs/common';
import type { IdentityInternalClient, InternalIdentityProvider } from '@platform/contracts';
import { type OutboundGuard, outboundGuard, outboundRefusalOf } from '@platform/outbound';
import * as oidc from 'openid-client';
import type { AuthorizationServerConfig } from '../config';
import { BoundedCache } from '@platform/runtime';
import { ClusterConfig, ConfigTopic } from '../cluster/cluster-config';
import { AUTHZ_CONFIG, IDENTITY_CLIENT } from '../tokens';

/** What the browser's round trip to the upstream IdP must bring back; kept server-side in the interaction. */
export interface PendingFederation {
  providerId: string;
  state: string;
  nonce: string;
  verifier: string;
}

/**
 * "Sign in with <IdP>": the upstream OpenID Connect code flow with PKCE, state and nonce,
 * through openid-client. The upstream identity is handed to the identity backend, which
 * links it to (or provisions) a local user.
 */
@Injectable()
export class FederatedLogin {
  // Both dropped on every replica when a tenant's IdPs change (the identity backend's tenant events).
  private readonly providersByTenant = new BoundedCache<InternalIdentityProvider[]>({ max: 10_000, ttlMs: 60_000 });
  private readonly discovered = new BoundedCache<oidc.Configuration>({ max: 1_000, ttlMs: 300_000 });
  /** The one redirect URI every upstream client registers; the interaction id travels in `state`. */
  readonly redirectUri: string;
  /** Discovery, JWKS, token and userinfo calls go to a tenant-chosen issuer: through the outbound guard. */
  private readonly outbound: OutboundGuard;

  constructor(
    @Inject(IDENTITY_CLIENT) private readonly identity: IdentityInternalClient,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
    cluster: ClusterConfig,
  ) {
    cluster.onChange(ConfigTopic.tenants, () => {
      this.providersByTenant.clear();
      this.discovered.clear();
    });
    this.redirectUri = `${config.ISSUER}/interaction/callback/federated`;
    this.outbound = outboundGuard(config.OUTBOUND_ALLOW_PRIVATE_NETWORK);
  }

  /** The tenant's enabled IdPs (cached briefly); none while the backend is unreachable. */
  async providers(tenantRef: string): Promise<InternalIdentityProvider[]> {
    return this.providersByTenant.get(tenantRef, () => this.identity.identityProviders(tenantRef).catch(() => []));
  }

  async start(
    provider: InternalIdentityProvider,
    interactionUid: string,
  ): Promise<{ url: string; pending: PendingFederation }> {
    const config = await this.configFor(provider);
    const pending: PendingFederation = {
      providerId: provider.id,
      state: `${interactionUid}.${oidc.randomState()}`,
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: provider.scopes.join(' ') || 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    return { url: url.toString(), pending };
  }

  /** Redeems the upstream code (state, nonce, PKCE and issuer checked) and returns the upstream subject and claims. */
  async finish(
    provider: InternalIdentityProvider,
    pending: PendingFederation,
    callbackQuery: string,
  ): Promise<{ subject: string; claims: Record<string, unknown> }> {
    const config = await this.configFor(provider);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(`${this.redirectUri}?${callbackQuery}`), {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    // Userinfo may add what the ID token leaves out; the ID token stays authoritative for `sub`.
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub).catch(() => ({}));
    return { subject: idClaims.sub, claims: { ...userinfo, ...idClaims } };
  }

  /** The interaction id a callback belongs to, from its state (`<uid>.<random>`). */
  static interactionOf(state: unknown): string | null {
    if (typeof state !== 'string') return null;
    const uid = state.split('.')[0] ?? '';
    return /^[A-Za-z0-9_-]{10,64}$/.test(uid) ? uid : null;
  }

  private configFor(provider: InternalIdentityProvider): Promise<oidc.Configuration> {
    const key = `${provider.id}|${provider.issuer}|${provider.clientId}`;
    return this.discovered.get(key, () => this.discover(provider));
  }

  private discover(provider: InternalIdentityProvider): Promise<oidc.Configuration> {
    // Plain-http issuers only where private-network calls are allowed (local setups and tests).
    const insecure = this.config.OUTBOUND_ALLOW_PRIVATE_NETWORK ? [oidc.allowInsecureRequests] : [];
    return (
      oidc
        .discovery(
          new URL(provider.issuer),
          provider.clientId,
          provider.clientSecret ?? undefined,
          provider.clientSecret ? oidc.ClientSecretBasic(provider.clientSecret) : oidc.None(),
          // The custom fetch stays on the configuration for every later call (token, userinfo, JWKS).
          { execute: insecure, timeout: 5, [oidc.customFetch]: this.outbound.fetch },
        )
        // openid-client reports "something went wrong"; the guard's refusal says what (and is what gets logged).
        .catch((error: unknown) => Promise.reject(outboundRefusalOf(error) ?? error))
    );
  }
}
