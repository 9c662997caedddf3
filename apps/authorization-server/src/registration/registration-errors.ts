import { defineApiErrorCodes } from '@platform/runtime';

export const [RegistrationErrorCode, RegistrationError] = defineApiErrorCodes({
  /** The initial access token is unknown, expired, revoked or used up (RFC 6750 invalid_token). */
  InvalidToken: ['invalid_token', 401],
  NotFound: ['initial_access_token_not_found', 404],
  TenantRequired: ['tenant_required', 400],
  Disabled: ['dynamic_registration_disabled', 409],
});
