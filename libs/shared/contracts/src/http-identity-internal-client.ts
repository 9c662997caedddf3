import { CircuitBreaker, CircuitOpenError } from './circuit-breaker';
import {
  type ChangePasswordRequest,
  type IdentityFailure,
  type IdentityInternalClient,
  IdentityInternalError,
  type InternalIdentityProvider,
  type InternalTenant,
  type LinkExternalIdentityRequest,
  type NewDeviceSignInRequest,
  type ResolvedExternalIdentity,
  type ResolveExternalIdentityRequest,
  type UserClaims,
  type VerifiedCredentials,
  type VerifyCredentialsRequest,
  type VerifyMfaRequest,
} from './identity-internal';
import type {
  PasskeyAuthenticationOptionsRequest,
  PasskeyRequestOptionsJSON,
  VerifyPasskeyMfaRequest,
  VerifyPasskeyRequest,
} from './passkeys';
import type { RedeemedImpersonation, RedeemImpersonationRequest } from './impersonation';

export interface HttpIdentityInternalClientOptions {
  baseUrl: string;
  /** A short-lived service token (scope identity.internal); called per request so it can refresh. */
  token: () => Promise<string>;
  timeoutMs?: number;
  /**
   * Timeout of the calls that check or set a password: they cost password hashes (and a change
   * several), so they wait as long as hashing may take under load instead of giving up on a
   * change the backend is still making.
   */
  credentialTimeoutMs?: number;
  /** Retries for idempotent reads only; writes (credential checks) are never repeated. */
  readRetries?: number;
  breaker?: CircuitBreaker;
}

const KNOWN_FAILURES = new Set<IdentityFailure>([
  'invalid_credentials',
  'invalid_mfa_code',
  'too_many_attempts',
  'account_locked',
  'email_not_verified',
  'passkey_required',
  'user_not_found',
  'user_inactive',
  'no_linked_user',
  'external_identity_taken',
  'tenant_not_found',
  'weak_password',
  'password_reused',
  'invalid_passkey',
  'passkey_counter_regression',
  'passkeys_disabled',
  'impersonation_ticket_invalid',
]);

/** The authorization server's client of /internal/v1: timeouts, jittered read retries, circuit breaker. */
export class HttpIdentityInternalClient implements IdentityInternalClient {
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: HttpIdentityInternalClientOptions) {
    this.breaker = options.breaker ?? new CircuitBreaker();
  }

  verifyCredentials(request: VerifyCredentialsRequest): Promise<VerifiedCredentials> {
    return this.call('POST', '/internal/v1/credentials/verify', request, this.credentialTimeout());
  }

  verifyMfa(request: VerifyMfaRequest | VerifyPasskeyMfaRequest): Promise<{ amr: string[] }> {
    return this.call('POST', '/internal/v1/mfa/verify', request, this.credentialTimeout());
  }

  passkeyAuthenticationOptions(request: PasskeyAuthenticationOptionsRequest): Promise<PasskeyRequestOptionsJSON> {
    return this.call('POST', '/internal/v1/passkeys/authentication-options', request);
  }

  verifyPasskey(request: VerifyPasskeyRequest): Promise<VerifiedCredentials> {
    return this.call('POST', '/internal/v1/passkeys/verify', request, this.credentialTimeout());
  }

  async changePassword({ userId, ...body }: ChangePasswordRequest): Promise<void> {
    await this.call(
      'POST',
      `/internal/v1/users/${encodeURIComponent(userId)}/password`,
      body,
      this.credentialTimeout(),
    );
  }

  userClaims(userId: string, scopes: string[]): Promise<UserClaims> {
    const query = new URLSearchParams({ scope: scopes.join(' ') });
    return this.call('GET', `/internal/v1/users/${encodeURIComponent(userId)}/claims?${query}`);
  }

  resolveExternalIdentity(request: ResolveExternalIdentityRequest): Promise<ResolvedExternalIdentity> {
    return this.call('POST', '/internal/v1/external-identities/resolve', request);
  }

  identityProviders(tenant: string): Promise<InternalIdentityProvider[]> {
    return this.call('GET', `/internal/v1/tenants/${encodeURIComponent(tenant)}/idps`);
  }

  tenant(tenant: string): Promise<InternalTenant> {
    return this.call('GET', `/internal/v1/tenants/${encodeURIComponent(tenant)}`);
  }

  async newDeviceSignIn({ userId, ...body }: NewDeviceSignInRequest): Promise<void> {
    await this.call('POST', `/internal/v1/users/${encodeURIComponent(userId)}/new-device-sign-ins`, body);
  }

  async linkExternalIdentity(request: LinkExternalIdentityRequest): Promise<void> {
    await this.call('POST', '/internal/v1/external-identities/link', request);
  }

  redeemImpersonation(request: RedeemImpersonationRequest): Promise<RedeemedImpersonation> {
    return this.call('POST', '/internal/v1/impersonations/redeem', request);
  }

  private credentialTimeout(): number {
    return this.options.credentialTimeoutMs ?? this.options.timeoutMs ?? 15_000;
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const attempts = method === 'GET' ? 1 + (this.options.readRetries ?? 2) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.breaker.run(() => this.once<T>(method, path, body, timeoutMs), isOutage);
      } catch (error) {
        if (error instanceof CircuitOpenError) throw new IdentityInternalError('unavailable', error.message);
        if (!isOutage(error) || attempt >= attempts) throw toIdentityError(error);
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  private async once<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const res = await fetch(`${this.options.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.options.token()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 3_000),
    });
    const payload = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; details?: { retryAfter?: number } & Record<string, unknown> };
    };
    if (res.ok) return payload as T;
    const code = payload.error?.code as IdentityFailure | undefined;
    if (code && KNOWN_FAILURES.has(code)) {
      const details = payload.error?.details;
      throw new IdentityInternalError(code, payload.error?.message ?? code, details?.retryAfter, details);
    }
    // Other refusals of the request (bad input) must not count as outages: they would open the circuit.
    if (res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) {
      throw new IdentityInternalError('invalid_request', payload.error?.message ?? `refused with ${res.status}`);
    }
    throw new OutageError(`identity backend answered ${res.status} to ${method} ${path}`);
  }
}

/** A failure of the dependency itself (network, timeout, 5xx, unexpected answer), as opposed to a domain answer. */
class OutageError extends Error {}

const isOutage = (error: unknown) => !(error instanceof IdentityInternalError);

function toIdentityError(error: unknown): IdentityInternalError {
  if (error instanceof IdentityInternalError) return error;
  return new IdentityInternalError('unavailable', `identity backend unavailable: ${(error as Error).message}`);
}
