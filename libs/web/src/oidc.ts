import * as oauth from 'oauth4webapi';
import { basePath, type WebAppSettings } from './settings';

/**
 * Browser sign-in of a first-party public client: authorization code + PKCE S256 through the
 * platform's hosted login. Tokens live in memory only (never in storage an injected script could
 * read later); what survives the redirect is the PKCE verifier, state and nonce in sessionStorage,
 * used once. A reload signs in again silently (prompt=none on the SSO session); one access token per
 * API, got from the rotating refresh token with a `resource` indicator (RFC 8707).
 */

const PENDING = 'platform.oidc.pending';
const TENANT = 'platform.oidc.tenant';
/** Renew an access token this long before it expires. */
const EXPIRY_MARGIN_MS = 30_000;

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  silent: boolean;
}

export interface SignInOptions {
  /** The tenant (slug) to sign in to; the last one used (or the configured default) otherwise. */
  tenant?: string;
  /** `none`: only if the SSO session allows it, no page shown. */
  prompt?: 'none' | 'login' | 'select_account';
  loginHint?: string;
  /** Path (under the app) to land on afterwards. */
  returnTo?: string;
}

export interface UserClaims {
  sub: string;
  name?: string;
  email?: string;
  tenantId?: string;
  [claim: string]: unknown;
}

/** Claims of an access token for display decisions only (the APIs check the token themselves). */
export interface AccessClaims {
  scopes: Set<string>;
  permissions: Set<string>;
  tenantId: string | null;
  roles: string[];
  /** RFC 8693 `act.sub`: the administrator acting as the user (an impersonated session), or null. */
  actor: string | null;
}

export class SignInRequired extends Error {
  constructor(readonly reason: string) {
    super(`sign-in required: ${reason}`);
    this.name = 'SignInRequired';
  }
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export class OidcSession {
  private server?: oauth.AuthorizationServer;
  private readonly client: oauth.Client;
  private readonly auth = oauth.None();
  private readonly insecure: boolean;
  private refreshToken?: string;
  private idToken?: string;
  private user?: UserClaims;
  private readonly tokens = new Map<string, CachedToken>();
  /** Refresh tokens rotate: one refresh at a time, or a second one would reuse the spent token. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly settings: WebAppSettings,
    /** The API scopes the app asks for besides openid, profile, email and offline_access. */
    private readonly apiScopes: readonly string[] = [],
  ) {
    this.client = { client_id: settings.clientId };
    // Plain http only for a local issuer (development and the test suites).
    this.insecure = new URL(settings.issuer).protocol === 'http:';
  }

  get redirectUri(): string {
    return `${location.origin}${basePath()}callback`;
  }

  get claims(): UserClaims | undefined {
    return this.user;
  }

  get signedIn(): boolean {
    return this.refreshToken !== undefined || this.impersonated;
  }

  /** An administrator acting as the user: the platform issues no refresh token to such a session. */
  private get impersonated(): boolean {
    return [...this.tokens.values()].some((cached) => accessClaimsOf(cached.token)?.actor);
  }

  /** The tenant the next sign-in goes to. */
  get tenant(): string {
    return sessionStorage.getItem(TENANT) ?? this.settings.defaultTenant;
  }

  isCallback(url: URL = new URL(location.href)): boolean {
    return url.pathname === new URL(this.redirectUri).pathname;
  }

  /** Navigates to the hosted login. */
  async signIn(options: SignInOptions = {}): Promise<never> {
    const as = await this.discover();
    const pending: PendingSignIn = {
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
      returnTo: options.returnTo ?? currentPath(),
      silent: options.prompt === 'none',
    };
    const tenant = options.tenant ?? this.tenant;
    sessionStorage.setItem(TENANT, tenant);
    sessionStorage.setItem(PENDING, JSON.stringify(pending));
    const url = new URL(as.authorization_endpoint!);
    const params = url.searchParams;
    params.set('client_id', this.client.client_id);
    params.set('redirect_uri', this.redirectUri);
    params.set('response_type', 'code');
    params.set('scope', this.scopes());
    params.set('state', pending.state);
    params.set('nonce', pending.nonce);
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
    params.set('code_challenge_method', 'S256');
    params.set('tenant', tenant);
    for (const resource of this.resources()) params.append('resource', resource);
    if (options.prompt) params.set('prompt', options.prompt);
    if (options.loginHint) params.set('login_hint', options.loginHint);
    location.assign(url.href);
    return new Promise<never>(() => undefined);
  }

  /** Signs in again without a page if the platform session still holds (after a reload). */
  async signInSilently(returnTo?: string): Promise<never> {
    return this.signIn({ prompt: 'none', returnTo });
  }

  /**
   * Completes the redirect back from the hosted login; returns the path to go on to. Throws
   * SignInRequired when the silent attempt found no session (or the user declined).
   */
  async completeSignIn(url: URL = new URL(location.href)): Promise<string> {
    const raw = sessionStorage.getItem(PENDING);
    sessionStorage.removeItem(PENDING);
    if (!raw) throw new SignInRequired('no sign-in under way');
    const pending = JSON.parse(raw) as PendingSignIn;
    const as = await this.discover();
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, this.client, url, pending.state);
    } catch (error) {
      if (error instanceof oauth.AuthorizationResponseError) throw new SignInRequired(error.error);
      throw error;
    }
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      this.client,
      this.auth,
      params,
      this.redirectUri,
      pending.codeVerifier,
      {
        additionalParameters: { resource: this.settings.identityApiAudience },
        [oauth.allowInsecureRequests]: this.insecure,
      },
    );
    const result = await oauth.processAuthorizationCodeResponse(as, this.client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    this.accept(result, this.settings.identityApiAudience);
    const idClaims = oauth.getValidatedIdTokenClaims(result)!;
    this.user = {
      ...idClaims,
      sub: idClaims.sub,
      tenantId: typeof idClaims.tenant_id === 'string' ? idClaims.tenant_id : undefined,
    } as UserClaims;
    return pending.returnTo;
  }

  /** An access token for one of the two APIs (by audience), renewed through the refresh token. */
  async accessToken(audience: string, options: { renew?: boolean } = {}): Promise<string> {
    const cached = this.tokens.get(audience);
    if (cached && !options.renew && cached.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return cached.token;
    const staleToken = cached?.token;
    const next = this.queue.then(async () => {
      const current = this.tokens.get(audience);
      // Another caller renewed it while this one waited.
      if (current && current.token !== staleToken && current.expiresAt - EXPIRY_MARGIN_MS > Date.now()) {
        return current.token;
      }
      return this.refresh(audience);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  accessClaims(audience: string): AccessClaims | undefined {
    const cached = this.tokens.get(audience);
    return cached ? accessClaimsOf(cached.token) : undefined;
  }

  /** Forgets the tokens and ends the platform session (RP-initiated logout). */
  async signOut(): Promise<never> {
    const as = await this.discover();
    const idToken = this.idToken;
    this.forget();
    const url = new URL(as.end_session_endpoint ?? `${this.settings.issuer}/logout`);
    url.searchParams.set('client_id', this.client.client_id);
    url.searchParams.set('post_logout_redirect_uri', `${location.origin}${basePath()}`);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
    location.assign(url.href);
    return new Promise<never>(() => undefined);
  }

  forget(): void {
    this.refreshToken = undefined;
    this.idToken = undefined;
    this.user = undefined;
    this.tokens.clear();
  }

  private async refresh(audience: string): Promise<string> {
    if (!this.refreshToken) throw new SignInRequired('not signed in');
    const as = await this.discover();
    try {
      const response = await oauth.refreshTokenGrantRequest(as, this.client, this.auth, this.refreshToken, {
        additionalParameters: { resource: audience },
        [oauth.allowInsecureRequests]: this.insecure,
      });
      const result = await oauth.processRefreshTokenResponse(as, this.client, response);
      return this.accept(result, audience);
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant') {
        // The session or grant ended (revoked, signed out elsewhere, user locked).
        this.forget();
        throw new SignInRequired('invalid_grant');
      }
      throw error;
    }
  }

  private accept(result: oauth.TokenEndpointResponse, audience: string): string {
    // An impersonated session gets none (its tokens say so in `act`): it lives as long as its access token.
    if (!result.refresh_token && !this.refreshToken && !accessClaimsOf(result.access_token)?.actor) {
      throw new SignInRequired('no refresh token granted');
    }
    if (result.refresh_token) this.refreshToken = result.refresh_token;
    if (result.id_token) this.idToken = result.id_token;
    const expiresIn = result.expires_in ?? 60;
    this.tokens.set(audience, { token: result.access_token, expiresAt: Date.now() + expiresIn * 1000 });
    return result.access_token;
  }

  private scopes(): string {
    return ['openid', 'profile', 'email', 'offline_access', ...this.apiScopes].join(' ');
  }

  private resources(): string[] {
    return [this.settings.identityApiAudience, this.settings.authzApiAudience];
  }

  private async discover(): Promise<oauth.AuthorizationServer> {
    if (this.server) return this.server;
    const issuer = new URL(this.settings.issuer);
    const response = await oauth.discoveryRequest(issuer, { [oauth.allowInsecureRequests]: this.insecure });
    this.server = await oauth.processDiscoveryResponse(issuer, response);
    return this.server;
  }
}

const currentPath = (): string => {
  const base = basePath();
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length - 1) : '/';
  return `${path}${location.search}`;
};

/** Reads (never trusts) an access token's claims: which actions to show. */
export function accessClaimsOf(jwt: string): AccessClaims | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(new TextDecoder().decode(base64UrlDecode(payload))) as Record<string, unknown>;
    const strings = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    return {
      scopes: new Set(typeof json.scope === 'string' ? json.scope.split(' ').filter(Boolean) : []),
      permissions: new Set(strings(json.permissions)),
      tenantId: typeof json.tenant_id === 'string' ? json.tenant_id : null,
      roles: strings(json.roles),
      actor:
        typeof json.act === 'object' && json.act !== null && typeof (json.act as { sub?: unknown }).sub === 'string'
          ? (json.act as { sub: string }).sub
          : null,
    };
  } catch {
    return undefined;
  }
}

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
