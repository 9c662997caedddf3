import {
  type IdentityInternalClient,
  IdentityInternalError,
  STANDARD_SCOPE_CLAIMS,
  type UserClaims,
} from '@platform/contracts';
import type { Account as ProviderAccount } from 'oidc-provider';
import type { ImpersonationTokens } from '../impersonation/impersonation-tokens';

/** Every scope whose claims the backend may release; the provider filters them down to the grant. */
const CLAIM_SCOPES = ['openid', 'profile', 'email', 'phone', 'address'];

/** Which claims each scope releases in ID tokens and userinfo (OIDC Core §5.4, plus ours). */
export const CLAIMS_BY_SCOPE = {
  // The provider's standalone claims (released when requested or required), kept from its defaults.
  acr: null,
  auth_time: null,
  iss: null,
  sid: null,
  // amr in every ID token: relying parties check that a second factor was used. tenant_id only
  // reaches tokens for tenant-bound clients or when the claims parameter asks for it (releasedClaims).
  // act only in ID tokens of an impersonated session (accountFinder), naming the administrator.
  openid: ['sub', 'tenant_id', 'amr', 'act'],
  ...STANDARD_SCOPE_CLAIMS,
  roles: ['roles', 'permissions'],
  // Names of the user's groups (nested ones included), from the identity backend.
  groups: ['groups'],
};

/** oidc-provider's account, with the backend's claims of the user kept for token building. */
export interface Account extends ProviderAccount {
  profile: UserClaims;
}

/** The `claims` request parameter (OIDC Core §5.5), as oidc-provider hands it to `claims()`. */
type RequestedClaims = Parameters<ProviderAccount['claims']>[2] | undefined;

/**
 * What a client sees of a user: a tenant-bound client learns its tenant; any other client only
 * when it asks for `tenant_id` through the claims parameter (its access tokens still carry it for
 * resource servers).
 */
export function releasedClaims<T extends { tenant_id?: unknown }>(
  claims: T,
  tenantBoundClient: boolean,
  requested: RequestedClaims,
): T {
  const asked = requested?.id_token?.tenant_id !== undefined || requested?.userinfo?.tenant_id !== undefined;
  if (tenantBoundClient || asked) return claims;
  const { tenant_id: _hidden, ...others } = claims;
  return others as T;
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
  /** The tenant a client is bound to, or null. */
  clientTenant: (clientId: string) => Promise<string | null>,
  /** `act` of an impersonated session (impersonation/), for its ID tokens as its access tokens get it. */
  impersonation?: Pick<ImpersonationTokens, 'claims'>,
) {
  return async function findAccount(
    ctx: { oidc?: { client?: { clientId: string } } },
    sub: string,
    /** The code (or other grant source) the token is issued from: its session says whether it is impersonated. */
    token?: object,
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
    return {
      accountId: sub,
      profile,
      claims: async (use, _scope, requested) => ({
        ...releasedClaims(claims, clientId ? (await clientTenant(clientId)) !== null : false, requested),
        // RFC 8693 §4.1 in the ID token too: a relying party reading only it still knows who acts.
        ...(use === 'id_token' && impersonation ? await impersonation.claims(sessionOf(token)) : {}),
      }),
    };
  };
}

const sessionOf = (token: object | undefined): string | undefined =>
  token && 'sessionUid' in token && typeof token.sessionUid === 'string' ? token.sessionUid : undefined;
