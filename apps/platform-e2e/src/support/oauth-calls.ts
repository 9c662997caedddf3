import { Browser, fetchJson } from '@platform/testing';
import type { Platform } from './platform';
import { type AuthorizationRequest, authorizationRequest, REDIRECT, type RelyingParty } from './relying-party';
import { signIn, type SignInOptions } from './sign-in';

/** Raw calls to the authorization server's endpoints, as an attacker (or a sloppy client) would make them. */
export function oauthCalls(platform: Platform) {
  const clientAuth = (rp: RelyingParty) =>
    rp.clientSecret ? { authorization: platform.basic(rp.clientId, rp.clientSecret) } : {};
  const clientIdParam = (rp: RelyingParty): Record<string, string> =>
    rp.clientSecret ? {} : { client_id: rp.clientId };

  const form = (path: string, rp: RelyingParty, body: Record<string, string>) =>
    fetchJson(`${platform.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...clientAuth(rp) },
      body: new URLSearchParams({ ...clientIdParam(rp), ...body }),
    });

  return {
    token: (rp: RelyingParty, body: Record<string, string>) => form('/token', rp, body),
    introspect: (rp: RelyingParty, token: string) => form('/tokens/introspect', rp, { token }),
    revoke: (rp: RelyingParty, token: string, hint?: string) =>
      form('/tokens/revoke', rp, { token, ...(hint ? { token_type_hint: hint } : {}) }),

    /** A fresh authorization code for `rp` through the hosted login (consent prompted so offline_access is granted). */
    async code(
      rp: RelyingParty,
      credentials: SignInOptions,
      scope = 'openid offline_access',
      extra: Record<string, string> = {},
    ): Promise<{ request: AuthorizationRequest; callback: string; code: string }> {
      const request = await authorizationRequest(rp, scope, { prompt: 'consent', ...extra });
      const redirectUri = extra.redirect_uri ?? REDIRECT;
      const back = await signIn(new Browser(), request.url, redirectUri, credentials);
      return { request, callback: back.location!, code: new URL(back.location!).searchParams.get('code')! };
    },

    /** The code of `code()`, redeemed without openid-client's checks. */
    redeem: (
      rp: RelyingParty,
      issued: { code: string; request: AuthorizationRequest },
      overrides: Record<string, string> = {},
    ) =>
      form('/token', rp, {
        grant_type: 'authorization_code',
        code: issued.code,
        redirect_uri: REDIRECT,
        code_verifier: issued.request.verifier,
        ...overrides,
      }),

    /** 200 while the access token is live at /userinfo, 401 once it is not. */
    userinfoStatus: async (accessToken: string) =>
      (await fetch(`${platform.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status,
  };
}
