import type {
  PasskeyAuthenticationOptionsRequest,
  PasskeyRequestOptionsJSON,
  VerifyPasskeyMfaRequest,
  VerifyPasskeyRequest,
} from './passkeys';
import type { RedeemedImpersonation, RedeemImpersonationRequest } from './impersonation';

/**
 * The identity backend's internal API (/internal/v1), as the authorization server sees
 * it. The backend's integration tests run this client against the real service, so the
 * two cannot drift apart silently.
 */

export interface VerifyCredentialsRequest {
  /** Tenant id or slug. */
  tenant: string;
  /** Email address or username. */
  login: string;
  password: string;
  clientIp: string;
  /**
   * The claim of the browser's device cookie, once the authorization server checked its signature
   * (OWASP device cookies): a sign-in that resolves to this user is exempt from the per-IP throttle
   * and from the lock untrusted clients caused, until this device itself fails too often.
   */
  device?: { deviceId: string; userId: string };
}

export interface VerifiedCredentials {
  userId: string;
  tenantId: string;
  status: 'active';
  mfaRequired: boolean;
  /** The second factors the user can complete the sign-in with (`passkey`: one of their passkeys). */
  mfaMethods: ('totp' | 'recovery_code' | 'passkey')[];
  amr: string[];
  mustChangePassword: boolean;
}

export interface VerifyMfaRequest {
  tenantId: string;
  userId: string;
  method: 'totp' | 'recovery_code';
  code: string;
}

export interface ChangePasswordRequest {
  tenantId: string;
  userId: string;
  currentPassword: string;
  newPassword: string;
}

export interface UserClaims {
  sub: string;
  tenant_id: string;
  roles: string[];
  permissions: string[];
  [claim: string]: unknown;
}

export interface ResolveExternalIdentityRequest {
  tenantId: string;
  providerId: string;
  subject: string;
  claims: Record<string, unknown>;
}

export interface ResolvedExternalIdentity {
  userId: string;
  tenantId: string;
  outcome: 'linked' | 'auto_linked' | 'provisioned';
  /**
   * The second factor the sign-in still needs, as after a password (VerifiedCredentials.mfaMethods):
   * `['passkey']` for an administrator under the tenant policy passkeys: required-for-admins (one
   * who holds none is refused with passkey_required). Absent (none due, or an older backend): the
   * upstream sign-in completes it.
   */
  mfaMethods?: VerifiedCredentials['mfaMethods'];
}

/**
 * A sign-in completed in a browser that held no device cookie of this account (see the
 * authorization server's NewDeviceAlerts): the backend mails the user when their tenant has
 * new-device alerts on.
 */
export interface NewDeviceSignInRequest {
  tenantId: string;
  userId: string;
  /** The browser's User-Agent (at most 512 characters); the mail names only its browser and system. */
  userAgent: string;
  /** When the sign-in completed (ISO 8601). */
  signedInAt: string;
}

/** A signed-in user links an account at an upstream IdP from the account console. */
export interface LinkExternalIdentityRequest {
  tenantId: string;
  userId: string;
  providerId: string;
  subject: string;
  claims: Record<string, unknown>;
}

export interface InternalIdentityProvider {
  id: string;
  tenantId: string;
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  scopes: string[];
  /** Shown on the "Sign in with …" button when set (https only). */
  logoUrl?: string | null;
}

export interface InternalTenant {
  id: string;
  slug: string;
  displayName: string;
  branding: { logoUrl: string | null; primaryColor: string | null; customCssUrl?: string | null };
  /** Whether the login page offers "Create account" (absent from an older backend: not offered). */
  selfRegistration?: boolean;
  /** Whether a sign-in from a new device is mailed to the user (absent from an older backend: not). */
  newDeviceAlerts?: boolean;
  /** Whether a browser the user chose to remember at the second factor skips it at their next sign-ins (absent: not). */
  allowMfaBypassOnTrustedDevice?: boolean;
  /** How many days "remember this device" trusts a browser (absent from an older backend: 30). */
  trustDurationDays?: number;
}

/** Why a call failed, in terms the caller acts on. */
export type IdentityFailure =
  | 'invalid_credentials'
  | 'invalid_mfa_code'
  | 'too_many_attempts'
  /** The right password, but the account is temporarily locked by failed sign-ins. */
  | 'account_locked'
  /** The right password, but the tenant requires a verified email address before sign-in completes. */
  | 'email_not_verified'
  /** The right password (or an upstream sign-in), but the tenant requires a passkey of its administrators and this one holds none. */
  | 'passkey_required'
  | 'user_not_found'
  | 'user_inactive'
  | 'no_linked_user'
  /** Linking: this upstream account is already linked to another user. */
  | 'external_identity_taken'
  | 'tenant_not_found'
  | 'weak_password'
  | 'password_reused'
  /** A passkey assertion refused (unknown, other tenant's, bad signature, used or expired challenge). */
  | 'invalid_passkey'
  /** A valid passkey signature with a sign counter at or below the stored one: a cloned authenticator (audited). */
  | 'passkey_counter_regression'
  /** The tenant's passkey policy is `off`. */
  | 'passkeys_disabled'
  /** An impersonation start link used, expired, or another administrator's. */
  | 'impersonation_ticket_invalid'
  /** The backend refused the request itself (a 4xx it has no specific code for): a caller's problem, not an outage. */
  | 'invalid_request'
  | 'unavailable';

export class IdentityInternalError extends Error {
  constructor(
    readonly failure: IdentityFailure,
    message: string,
    readonly retryAfterSeconds?: number,
    /** The backend's error details, e.g. which password rules a weak_password broke (`violations`). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'IdentityInternalError';
  }
}

export interface IdentityInternalClient {
  verifyCredentials(request: VerifyCredentialsRequest): Promise<VerifiedCredentials>;
  /** A TOTP or recovery code, or a passkey assertion (VerifyPasskeyMfaRequest), after the password. */
  verifyMfa(request: VerifyMfaRequest | VerifyPasskeyMfaRequest): Promise<{ amr: string[] }>;
  /** Options for navigator.credentials.get(): discoverable (no userId) or that user's passkeys (second factor). */
  passkeyAuthenticationOptions(request: PasskeyAuthenticationOptionsRequest): Promise<PasskeyRequestOptionsJSON>;
  /** A passwordless sign-in with a passkey: answers like verifyCredentials (amr hwk|swk + mfa). */
  verifyPasskey(request: VerifyPasskeyRequest): Promise<VerifiedCredentials>;
  /** Replaces a password (e.g. a temporary one at first sign-in); the current one proves it is the user. */
  changePassword(request: ChangePasswordRequest): Promise<void>;
  userClaims(userId: string, scopes: string[]): Promise<UserClaims>;
  resolveExternalIdentity(request: ResolveExternalIdentityRequest): Promise<ResolvedExternalIdentity>;
  identityProviders(tenant: string): Promise<InternalIdentityProvider[]>;
  /** A tenant by id or slug, as the hosted pages show it. */
  tenant(tenant: string): Promise<InternalTenant>;
  /** Tells the backend a sign-in completed from a new device (it mails the user if the tenant wants). */
  newDeviceSignIn(request: NewDeviceSignInRequest): Promise<void>;
  /** Links an upstream account to a signed-in user (idempotent; external_identity_taken for another user's). */
  linkExternalIdentity(request: LinkExternalIdentityRequest): Promise<void>;
  /** Redeems an impersonation start link once (impersonation_ticket_invalid otherwise). */
  redeemImpersonation(request: RedeemImpersonationRequest): Promise<RedeemedImpersonation>;
}
