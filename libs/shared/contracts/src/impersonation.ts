/** The authorization server redeems an impersonation start link (issue 16) once the administrator signed in. */
export interface RedeemImpersonationRequest {
  /** The one-time ticket of the start link. */
  ticket: string;
  /** The account the browser that opened the link just signed in as (must be the administrator who made it). */
  actorId: string;
}

export interface RedeemedImpersonation {
  id: string;
  tenantId: string;
  /** The user acted as: the session's account. */
  userId: string;
  /** The administrator: the tokens' `act.sub`. */
  actorId: string;
  /** ISO 8601: the session and its tokens end then. */
  expiresAt: string;
}
