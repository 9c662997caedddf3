import { defineApiErrors } from '@platform/runtime';

/**
 * Every failure of the sessions and grants API (admin and self-service), code → status. `user_not_found`
 * also answers for a user the caller may not manage: indistinguishable from one that does not exist;
 * `current_session_unknown` for "sign out my other sessions" with a token issued outside a browser session.
 */
export class SessionError extends defineApiErrors({
  session_not_found: 404,
  grant_not_found: 404,
  user_not_found: 404,
  current_session_unknown: 400,
}) {}
