import type { KoaContextWithOIDC } from 'oidc-provider';

/** The parts of an access token (oidc-provider's model) read here. */
interface IssuedToken {
  sessionUid?: string;
}

/**
 * What a user's access token says about the sign-in behind it, for the self-service APIs:
 * `sid`, the session it was issued in (its public id, as /api/v1/me/sessions lists it: "this
 * browser", kept through refreshes), and `auth_time` (RFC 9068 §2.2.1), when the user last
 * authenticated, which sensitive actions (deleting the account) check for recency.
 */
export function sessionClaims(ctx: KoaContextWithOIDC, token: IssuedToken): { sid?: string; auth_time?: number } {
  const { AuthorizationCode, RefreshToken, DeviceCode } = ctx.oidc.entities;
  const authTime = AuthorizationCode?.authTime ?? RefreshToken?.authTime ?? DeviceCode?.authTime;
  return {
    ...(typeof token.sessionUid === 'string' ? { sid: token.sessionUid } : {}),
    ...(typeof authTime === 'number' ? { auth_time: authTime } : {}),
  };
}
