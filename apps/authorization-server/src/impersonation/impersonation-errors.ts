import { defineApiErrors } from '@platform/runtime';

/** The authorization server's impersonation failures (the identity backend has the same code for its routes). */
export class ImpersonationError extends defineApiErrors({
  /** A self-service action the user alone may take (linking an account), refused to an administrator acting as them. */
  impersonation_forbidden: 403,
}) {}
