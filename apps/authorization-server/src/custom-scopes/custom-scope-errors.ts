import { defineApiErrors } from '@platform/runtime';

/**
 * Every failure of the custom scopes API, code → status. `scope_taken`: a scope of OpenID Connect or
 * of an API, or one that already releases another claim; `custom_scope_exists`: the same scope,
 * tenant and client are mapped already.
 */
export class CustomScopeError extends defineApiErrors({
  custom_scope_not_found: 404,
  custom_scope_exists: 409,
  scope_taken: 409,
  reserved_claim: 400,
  unknown_client: 400,
}) {}
