import type { errors as OidcErrors } from 'oidc-provider';
import type { ImpersonationSessions } from './impersonation-sessions';

/**
 * What token issuance asks of impersonation (oidc/token-claims.ts and oidc/accounts.ts for ID
 * tokens, issueRefreshToken): the `act` claim of a token of an impersonated session, refused
 * (invalid_grant) once it has run out;
 * and whether a code's session may get a refresh token (an impersonated one never does).
 */
export interface ImpersonationTokens {
  claims(sessionUid: string | undefined): Promise<Record<string, unknown>>;
  allowsRefresh(sessionUid: string | undefined): Promise<boolean>;
}

export function impersonationTokens(
  sessions: Pick<ImpersonationSessions, 'ofSession'>,
  errors: Pick<typeof OidcErrors, 'InvalidGrant'>,
): ImpersonationTokens {
  return {
    async claims(sessionUid) {
      const found = await sessions.ofSession(sessionUid);
      if (found === 'ended') throw new errors.InvalidGrant('the impersonation has ended');
      return found ?? {};
    },
    async allowsRefresh(sessionUid) {
      return (await sessions.ofSession(sessionUid)) === null;
    },
  };
}
