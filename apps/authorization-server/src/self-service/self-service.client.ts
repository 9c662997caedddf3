import { Inject, Injectable } from '@nestjs/common';
import { AUTHZ_CONFIG } from '../tokens';
import type { AuthorizationServerConfig } from '../config';
import { ServiceTokens } from '../identity/service-tokens';
import type { PasswordPolicy } from './password-policy';

/** The identity backend refused a self-service request: its machine-readable code (weak_password, …). */
export class SelfServiceRefusal extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly retryAfter?: number,
    /** The backend's error details (a weak_password's `violations`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
  }
}

export interface SelfServiceTenant {
  slug: string;
  selfRegistration: boolean;
  allowedEmailDomains: string[];
  passwordPolicy: PasswordPolicy;
  termsUrl: string | null;
}

/**
 * The identity backend's /internal/v1/self-service endpoints, called with our service token and
 * the browser's address (so the backend's per-IP abuse limits count the person, not us). An
 * outage is a refusal with code `unavailable`; pages show a friendly message for it.
 */
@Injectable()
export class SelfServiceClient {
  constructor(
    private readonly tokens: ServiceTokens,
    @Inject(AUTHZ_CONFIG) private readonly config: AuthorizationServerConfig,
  ) {}

  tenant(ref: string): Promise<SelfServiceTenant> {
    return this.call('GET', `/tenants/${encodeURIComponent(ref)}`);
  }

  register(body: { tenant: string; email: string; password: string; clientIp: string; locale: string }) {
    return this.call<void>('POST', '/registrations', body);
  }

  requestVerification(body: { tenant: string; email: string; clientIp: string }) {
    return this.call<void>('POST', '/email-verifications', body);
  }

  confirmEmail(token: string) {
    return this.call<void>('POST', '/email-verifications/confirm', { token });
  }

  requestPasswordReset(body: { tenant: string; email: string; clientIp: string }) {
    return this.call<void>('POST', '/password-resets', body);
  }

  inspectReset(token: string): Promise<{ mfaRequired: boolean }> {
    return this.call('POST', '/password-resets/inspect', { token });
  }

  resetPassword(body: { token: string; newPassword: string; mfa?: { method: string; code: string } }) {
    return this.call<void>('POST', '/password-resets/confirm', body);
  }

  confirmEmailChange(token: string) {
    return this.call<void>('POST', '/email-changes/confirm', { token });
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.config.IDENTITY_BACKEND_URL}/internal/v1/self-service${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await this.tokens.token()}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Registration and reset hash a password: as long as the credential calls may take.
        signal: AbortSignal.timeout(this.config.IDENTITY_BACKEND_CREDENTIAL_TIMEOUT_MS),
      });
    } catch {
      throw new SelfServiceRefusal('unavailable', 503);
    }
    const payload = (await res.json().catch(() => ({}))) as {
      error?: { code?: string; details?: { retryAfter?: number } & Record<string, unknown> };
    };
    if (res.ok) return payload as T;
    if (res.status >= 500 || !payload.error?.code) throw new SelfServiceRefusal('unavailable', 503);
    const { details } = payload.error;
    throw new SelfServiceRefusal(payload.error.code, res.status, details?.retryAfter, details);
  }
}
