import { apiErrorResponses, defineApiErrorCodes, type ApiErrorCodeOf } from '@platform/runtime';

/** Failures of impersonation (issue 16), as stable machine-readable codes. */
export const [ImpersonationErrorCode, ImpersonationError] = defineApiErrorCodes({
  /** The user does not exist or is in another tenant (indistinguishable). */
  UserNotFound: ['user_not_found', 404],
  /** The user holds a permission the administrator lacks: impersonating them would widen the administrator's power. */
  UpwardRefused: ['impersonation_upward_refused', 403],
  /** Only a signed-in person impersonates (not a client), never themselves, and never while impersonating. */
  NotAllowed: ['impersonation_not_allowed', 403],
  /** The user cannot sign in (locked, disabled, deleted). */
  UserInactive: ['user_inactive', 409],
  /** A sensitive self-service action (password, MFA, passkeys, deletion, linking) refused to an impersonated session. */
  Forbidden: ['impersonation_forbidden', 403],
  /** The start link was used, has expired, or belongs to another administrator. */
  TicketInvalid: ['impersonation_ticket_invalid', 400],
  /** No impersonation is under way for this token. */
  NotFound: ['impersonation_not_found', 404],
});
export type ImpersonationErrorCode = ApiErrorCodeOf<typeof ImpersonationErrorCode>;

/** OpenAPI error responses of an impersonation route, one per status, naming its codes. */
export const ApiImpersonationErrors = (...codes: ImpersonationErrorCode[]) =>
  apiErrorResponses(ImpersonationError.statusOf, codes);
