import { defineApiErrors } from '@platform/runtime';

/** Every failure of the sessions and grants API (admin and self-service). */
export enum SessionErrorCode {
  SessionNotFound = 'session_not_found',
  GrantNotFound = 'grant_not_found',
  /** Also for a user the caller may not manage: indistinguishable from one that does not exist. */
  UserNotFound = 'user_not_found',
  /** "Sign out my other sessions" with a token issued outside a browser session. */
  CurrentSessionUnknown = 'current_session_unknown',
}

export class SessionError extends defineApiErrors<SessionErrorCode>({
  [SessionErrorCode.SessionNotFound]: 404,
  [SessionErrorCode.GrantNotFound]: 404,
  [SessionErrorCode.UserNotFound]: 404,
  [SessionErrorCode.CurrentSessionUnknown]: 400,
}) {}
