import { defineApiErrors } from '@platform/runtime';

export enum ApiKeyErrorCode {
  NotFound = 'api_key_not_found',
  OwnerRequired = 'api_key_owner_required',
  UnknownClient = 'unknown_client',
  TenantMismatch = 'tenant_mismatch',
  UnknownResource = 'unknown_resource',
  InvalidScope = 'invalid_scope',
  InvalidExpiry = 'invalid_expiry',
}

export class ApiKeyError extends defineApiErrors<ApiKeyErrorCode>({
  [ApiKeyErrorCode.NotFound]: 404,
  [ApiKeyErrorCode.OwnerRequired]: 400,
  [ApiKeyErrorCode.UnknownClient]: 400,
  [ApiKeyErrorCode.TenantMismatch]: 400,
  [ApiKeyErrorCode.UnknownResource]: 400,
  [ApiKeyErrorCode.InvalidScope]: 400,
  [ApiKeyErrorCode.InvalidExpiry]: 400,
}) {}
