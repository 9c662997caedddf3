import {
  type IdentityInternalClient,
  IdentityInternalError,
  STANDARD_SCOPE_CLAIMS,
  type UserClaims,
} from '@platform/contracts';

/** Every scope whose claims the backend may release; the provider filters them down to the grant. */
const CLAIM_SCOPES = ['openid', 'profile', 'email', 'phone', 'address'];

/** Which claims each scope releases in ID tokens and userinfo (OIDC Core §5.4, plus ours). */
export const CLAIMS_BY_SCOPE = {
  // The provider's standalone claims (released when requested or required), kept from its defaults.
  acr: null,
  auth_time: null,
  iss: null,
  sid: null,
  // amr in every ID token: relying parties check that a second factor was used.
  openid: ['sub', 'tenant_id', 'amr'],
  ...STANDARD_SCOPE_CLAIMS,
  roles: ['roles', 'permissions'],
};

export interface Account {
  accountId: string;
  profile: UserClaims;
  claims(): Promise<UserClaims>;
}

/** Backend failures that mean "this account may no longer use its tokens". */
const GONE: ReadonlySet<string> = new Set(['user_not_found', 'user_inactive']);

/**
 * oidc-provider's findAccount, answered by the identity backend's claims endpoint. It runs on
 * every code exchange, refresh and userinfo call, so a disabled or deleted user is refused
 * there even while the lifecycle event is still on its way through Kafka.
 */
export function accountFinder(
  identity: IdentityInternalClient,
  unavailable: (message: string) => Error,
  /** Claims of our custom scopes for this user and client (computed from the backend's claims). */
  customClaims: (profile: UserClaims, clientId: string) => Promise<Record<string, unknown>>,
) {
  return async function findAccount(
    ctx: { oidc?: { client?: { clientId: string } } },
    sub: string,
  ): Promise<Account | undefined> {
    let profile: UserClaims;
    try {
      profile = await identity.userClaims(sub, CLAIM_SCOPES);
    } catch (error) {
      if (error instanceof IdentityInternalError && GONE.has(error.failure)) return undefined;
      throw unavailable('the user directory is temporarily unavailable; try again shortly');
    }
    const clientId = ctx.oidc?.client?.clientId;
    const claims = clientId ? { ...(await customClaims(profile, clientId)), ...profile } : profile;
    return { accountId: sub, profile, claims: async () => claims };
  };
}
