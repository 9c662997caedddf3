/**
 * Passkeys (WebAuthn) on the internal API, as the authorization server's hosted login uses them.
 * Options and responses are the WebAuthn Level 3 JSON forms: what
 * `PublicKeyCredential.parseRequestOptionsFromJSON()` takes and `PublicKeyCredential#toJSON()` gives.
 */

/** `navigator.credentials.get({ publicKey })` options, JSON-encoded (binary fields base64url). */
export interface PasskeyRequestOptionsJSON {
  challenge: string;
  timeout?: number;
  rpId?: string;
  allowCredentials?: { id: string; type: 'public-key'; transports?: string[] }[];
  userVerification?: 'required' | 'preferred' | 'discouraged';
}

/** What `PublicKeyCredential#toJSON()` gives for an assertion. */
export interface PasskeyAssertionJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  authenticatorAttachment?: 'platform' | 'cross-platform' | null;
  clientExtensionResults: Record<string, unknown>;
}

/**
 * POST /internal/v1/passkeys/authentication-options. Without userId or login: a discoverable
 * ceremony (the browser offers the passkeys it holds for the RP; conditional UI). With userId:
 * the second factor after a password (that user's passkeys only). With login: that account's
 * passkeys, or a discoverable ceremony when no such account exists (the answer does not tell).
 */
export interface PasskeyAuthenticationOptionsRequest {
  /** Tenant id or slug. */
  tenant: string;
  userId?: string;
  login?: string;
}

/**
 * POST /internal/v1/passkeys/verify: a passwordless sign-in. Answers the same shape as
 * credentials/verify (`VerifiedCredentials`): amr `hwk` (device-bound key) or `swk` (synced),
 * plus `mfa` (user verification is required). Failures: 401 `invalid_passkey` (one answer for
 * unknown, other tenant's, bad signature, used challenge), 401 `passkey_counter_regression`
 * (a cloned authenticator: refused and audited), 401 `account_locked`, 403 `passkeys_disabled`.
 */
export interface VerifyPasskeyRequest {
  tenant: string;
  credential: PasskeyAssertionJSON;
}

/** The tenant's passkey policy (tenant setting `passkeys`). */
export type PasskeyPolicy = 'off' | 'allowed' | 'required-for-admins';

/**
 * POST /internal/v1/mfa/verify with a passkey as the second factor, after a password: an
 * assertion to options from passkeys/authentication-options with this userId. Answers `{ amr }`
 * (`pwd`, `hwk` or `swk`, `mfa`), or 401 `invalid_passkey` / `passkey_counter_regression`.
 */
export interface VerifyPasskeyMfaRequest {
  tenantId: string;
  userId: string;
  method: 'passkey';
  passkey: PasskeyAssertionJSON;
}
