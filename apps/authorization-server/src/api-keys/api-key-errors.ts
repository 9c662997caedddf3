import { defineApiErrorCodes } from '@platform/runtime';

export const [ApiKeyErrorCode, ApiKeyError] = defineApiErrorCodes({
  NotFound: ['api_key_not_found', 404],
  OwnerRequired: ['api_key_owner_required', 400],
  UnknownClient: ['unknown_client', 400],
  TenantMismatch: ['tenant_mismatch', 400],
  UnknownResource: ['unknown_resource', 400],
  InvalidScope: ['invalid_scope', 400],
  InvalidExpiry: ['invalid_expiry', 400],
});
