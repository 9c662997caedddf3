import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { Authorize } from '@platform/resource-server';
import { Access } from './access';

/**
 * The OpenAPI error responses many identity routes share, worded once. A route lists the ones it
 * answers with (`@ApiErrors(...)`); its own codes stay beside it as plain `@ApiResponse`s.
 */
export const Refusal = {
  validationFailed: { status: 400, description: '`validation_failed`: the body or a parameter is malformed' },
  invalidEmailToken: {
    status: 400,
    description: '`invalid_email_token`: the link is unknown, used or expired; `validation_failed`',
  },
  noBearerToken: { status: 401, description: '`missing_token` / `invalid_token`: no valid bearer token' },
  bearerLacksAccess: { status: 403, description: '`insufficient_scope`: the token lacks the scope or permission' },
  noServiceToken: { status: 401, description: '`invalid_token`: no valid service token' },
  serviceLacksScope: { status: 403, description: '`insufficient_scope`: the service token lacks the scope' },
  userNotFound: { status: 404, description: '`user_not_found`: no such user in this tenant' },
  tenantNotFound: { status: 404, description: '`tenant_not_found`' },
  passwordRefused: { status: 422, description: '`weak_password`, `password_reused`: the password policy refuses it' },
  tooManyRequests: { status: 429, description: '`too_many_requests`: an abuse limit (Retry-After)' },
} as const satisfies Record<string, ApiResponseOptions>;

/** One `@ApiResponse` per refusal (never two with one status: @nestjs/swagger would join their texts). */
export const ApiErrors = (...responses: ApiResponseOptions[]) =>
  applyDecorators(...responses.map((response) => ApiResponse({ ...response })));

/** The two refusals of a route behind a bearer token that needs a scope or permission. */
export const BearerRefusals = () => ApiErrors(Refusal.noBearerToken, Refusal.bearerLacksAccess);

/**
 * A route of the internal API, which only the authorization server's service token may call, with
 * that token's two refusals and the route's own `responses`.
 */
export const InternalRoute = (...responses: ApiResponseOptions[]) =>
  applyDecorators(
    Authorize(Access.internal),
    ApiErrors(Refusal.noServiceToken, Refusal.serviceLacksScope, ...responses),
  );
