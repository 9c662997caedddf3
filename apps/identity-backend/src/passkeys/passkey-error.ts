import { apiErrorResponses, defineApiErrors } from '@platform/runtime';

/** Failures of the passkey feature, as stable machine-readable codes. */
export enum PasskeyErrorCode {
  PasskeyNotFound = 'passkey_not_found',
  /** The tenant's passkey policy is `off`. */
  PasskeysDisabled = 'passkeys_disabled',
  /** The attestation did not verify, its challenge was unknown, used or expired, or the origin/RP id is wrong. */
  RegistrationFailed = 'passkey_registration_failed',
  /** This authenticator already holds a passkey of this user (excludeCredentials was ignored). */
  AlreadyRegistered = 'passkey_already_registered',
  /** One answer for unknown credential, other tenant, bad signature, missing user verification, used challenge. */
  InvalidPasskey = 'invalid_passkey',
  /** A valid signature with a signature counter at or below the stored one: a cloned authenticator. */
  CounterRegression = 'passkey_counter_regression',
}

const STATUS: Record<PasskeyErrorCode, number> = {
  [PasskeyErrorCode.PasskeyNotFound]: 404,
  [PasskeyErrorCode.PasskeysDisabled]: 403,
  [PasskeyErrorCode.RegistrationFailed]: 400,
  [PasskeyErrorCode.AlreadyRegistered]: 409,
  [PasskeyErrorCode.InvalidPasskey]: 401,
  [PasskeyErrorCode.CounterRegression]: 401,
};

export class PasskeyError extends defineApiErrors<PasskeyErrorCode>(STATUS) {}

/** OpenAPI error responses of a passkey route, one per status, naming its codes. */
export const ApiPasskeyErrors = (...codes: PasskeyErrorCode[]) => apiErrorResponses(PasskeyError.statusOf, codes);
