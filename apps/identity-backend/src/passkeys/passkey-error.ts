import { apiErrorResponses, defineApiErrorCodes, type ApiErrorCodeOf } from '@platform/runtime';

/** Failures of the passkey feature, as stable machine-readable codes. */
export const [PasskeyErrorCode, PasskeyError] = defineApiErrorCodes({
  PasskeyNotFound: ['passkey_not_found', 404],
  /** The tenant's passkey policy is `off`. */
  PasskeysDisabled: ['passkeys_disabled', 403],
  /** The attestation did not verify, its challenge was unknown, used or expired, or the origin/RP id is wrong. */
  RegistrationFailed: ['passkey_registration_failed', 400],
  /** This authenticator already holds a passkey of this user (excludeCredentials was ignored). */
  AlreadyRegistered: ['passkey_already_registered', 409],
  /** One answer for unknown credential, other tenant, bad signature, missing user verification, used challenge. */
  InvalidPasskey: ['invalid_passkey', 401],
  /** A valid signature with a signature counter at or below the stored one: a cloned authenticator. */
  CounterRegression: ['passkey_counter_regression', 401],
  /** passkeys: required-for-admins, and this is the last passkey of an administrator: it is their only way in. */
  PasskeyRequired: ['passkey_required', 409],
});
export type PasskeyErrorCode = ApiErrorCodeOf<typeof PasskeyErrorCode>;

/** OpenAPI error responses of a passkey route, one per status, naming its codes. */
export const ApiPasskeyErrors = (...codes: PasskeyErrorCode[]) => apiErrorResponses(PasskeyError.statusOf, codes);
