import { defineApiErrors } from '@platform/runtime';

/** Every failure of the custom scopes API. */
export enum CustomScopeErrorCode {
  NotFound = 'custom_scope_not_found',
  /** The same scope, tenant and client are mapped already. */
  Exists = 'custom_scope_exists',
  /** A scope of OpenID Connect or an API, or one that already releases another claim. */
  ScopeTaken = 'scope_taken',
  ReservedClaim = 'reserved_claim',
  UnknownClient = 'unknown_client',
}

export class CustomScopeError extends defineApiErrors<CustomScopeErrorCode>({
  [CustomScopeErrorCode.NotFound]: 404,
  [CustomScopeErrorCode.Exists]: 409,
  [CustomScopeErrorCode.ScopeTaken]: 409,
  [CustomScopeErrorCode.ReservedClaim]: 400,
  [CustomScopeErrorCode.UnknownClient]: 400,
}) {}
