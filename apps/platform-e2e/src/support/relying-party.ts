import * as oidc from 'openid-client';
import type { ClientRegistration, Platform } from './platform';

export const REDIRECT = 'https://app.example.test/callback';

export interface RelyingParty {
  clientId: string;
  clientSecret: string | null;
  config: oidc.Configuration;
}

/** Registers a client through the management API and configures openid-client for it from discovery. */
export async function relyingParty(
  platform: Platform,
  registration: Partial<ClientRegistration> & Pick<ClientRegistration, 'type'>,
): Promise<RelyingParty> {
  const { clientId, clientSecret } = await platform.createClient({
    name: 'Acme Portal',
    redirectUris: [REDIRECT],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'identity.users.read'],
    ...registration,
  });
  const config = await oidc.discovery(
    new URL(platform.issuer),
    clientId,
    clientSecret ?? undefined,
    clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
  return { clientId, clientSecret, config };
}

export interface AuthorizationRequest {
  url: string;
  verifier: string;
  state: string;
}

/** An authorization request with PKCE S256 and state, as openid-client builds it. */
export async function authorizationRequest(
  rp: RelyingParty,
  scope: string,
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: REDIRECT,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url: url.toString(), verifier, state };
}

/** Exchanges the code of a callback URL through openid-client (which checks state, iss and the ID token). */
export const redeem = (rp: RelyingParty, callback: string, request: AuthorizationRequest) =>
  oidc.authorizationCodeGrant(rp.config, new URL(callback), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
  });
