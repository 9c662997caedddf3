import type { IdentityBackendConfig } from '../config';

/** Who the passkeys are for: the RP id browsers scope credentials to, and the origins ceremonies may run on. */
export interface RelyingParty {
  id: string;
  origins: string[];
}

/**
 * WEBAUTHN_ORIGINS (default: the origin of ACCOUNT_URL, the authorization server's public
 * origin, where the hosted login and the account console run); the RP id is the first
 * origin's hostname unless WEBAUTHN_RP_ID names a registrable parent domain of every origin.
 */
export function relyingPartyOf(
  config: Pick<IdentityBackendConfig, 'ACCOUNT_URL' | 'WEBAUTHN_ORIGINS' | 'WEBAUTHN_RP_ID'>,
): RelyingParty {
  const origins = config.WEBAUTHN_ORIGINS.length > 0 ? config.WEBAUTHN_ORIGINS : [new URL(config.ACCOUNT_URL).origin];
  return { id: config.WEBAUTHN_RP_ID ?? new URL(origins[0]!).hostname, origins };
}
