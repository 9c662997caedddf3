import { defineApiErrors } from '@platform/runtime';

export enum RegistrationErrorCode {
  /** The initial access token is unknown, expired, revoked or used up (RFC 6750 invalid_token). */
  InvalidToken = 'invalid_token',
  NotFound = 'initial_access_token_not_found',
  TenantRequired = 'tenant_required',
  Disabled = 'dynamic_registration_disabled',
}

export class RegistrationError extends defineApiErrors<RegistrationErrorCode>({
  [RegistrationErrorCode.InvalidToken]: 401,
  [RegistrationErrorCode.NotFound]: 404,
  [RegistrationErrorCode.TenantRequired]: 400,
  [RegistrationErrorCode.Disabled]: 409,
}) {}
