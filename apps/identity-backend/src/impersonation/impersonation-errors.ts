import { apiErrorResponses, defineApiErrors } from '@platform/runtime';

/** Failures of impersonation (issue 16), as stable machine-readable codes. */
export enum ImpersonationErrorCode {
  /** The user does not exist or is in another tenant (indistinguishable). */
  UserNotFound = 'user_not_found',
  /** The user holds a permission the administrator lacks: impersonating them would widen the administrator's power. */
  UpwardRefused = 'impersonation_upward_refused',
  /** Only a signed-in person impersonates (not a client), never themselves, and never while impersonating. */
  NotAllowed = 'impersonation_not_allowed',
  /** The user cannot sign in (locked, disabled, deleted). */
  UserInactive = 'user_inactive',
  /** A sensitive self-service action (password, MFA, passkeys, deletion, linking) refused to an impersonated session. */
  Forbidden = 'impersonation_forbidden',
  /** The start link was used, has expired, or belongs to another administrator. */
  TicketInvalid = 'impersonation_ticket_invalid',
  /** No impersonation is under way for this token. */
  NotFound = 'impersonation_not_found',
}

const STATUS: Record<ImpersonationErrorCode, number> = {
  [ImpersonationErrorCode.UserNotFound]: 404,
  [ImpersonationErrorCode.UpwardRefused]: 403,
  [ImpersonationErrorCode.NotAllowed]: 403,
  [ImpersonationErrorCode.UserInactive]: 409,
  [ImpersonationErrorCode.Forbidden]: 403,
  [ImpersonationErrorCode.TicketInvalid]: 400,
  [ImpersonationErrorCode.NotFound]: 404,
};

export class ImpersonationError extends defineApiErrors<ImpersonationErrorCode>(STATUS) {}

/** OpenAPI error responses of an impersonation route, one per status, naming its codes. */
export const ApiImpersonationErrors = (...codes: ImpersonationErrorCode[]) =>
  apiErrorResponses(ImpersonationError.statusOf, codes);
