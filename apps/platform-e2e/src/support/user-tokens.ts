import { IDENTITY_ADMIN_SCOPES } from '@platform/contracts';
import { Browser, fetchJson } from '@platform/testing';
import { IDENTITY_API, type Platform } from './platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './relying-party';
import { signIn } from './sign-in';

/** Every scope of the identity API a console-like app may ask for (never identity.internal). */
export { IDENTITY_ADMIN_SCOPES };

/** A first-party "admin console" client of a tenant (none: a platform client), allowed every identity API scope. */
export const consoleApp = (platform: Platform, tenantId: string | undefined, extraScopes: readonly string[] = []) =>
  relyingParty(platform, {
    name: 'Admin console',
    type: 'spa',
    trusted: true,
    tenantId,
    scopes: ['openid', 'profile', 'email', ...IDENTITY_ADMIN_SCOPES, ...extraScopes],
  });

/** A user's identity-API access token, obtained the way the console gets one: hosted sign-in, code + PKCE. */
export async function identityApiToken(
  app: RelyingParty,
  login: string,
  password: string,
  scopes: readonly string[] = IDENTITY_ADMIN_SCOPES,
  /** The tenant (slug) to sign in to, for a platform client bound to none. */
  tenant?: string,
): Promise<{ accessToken: string; idToken: string }> {
  const request = await authorizationRequest(app, ['openid', ...scopes].join(' '), {
    resource: IDENTITY_API,
    ...(tenant ? { tenant } : {}),
  });
  const back = await signIn(new Browser(), request.url, REDIRECT, { login, password });
  const tokens = await redeem(app, back.location!, request);
  return { accessToken: tokens.access_token, idToken: tokens.id_token! };
}

/** Gives a user one of their tenant's built-in roles (e.g. tenant-admin), as a platform operator. */
export async function grantRole(platform: Platform, tenantId: string, userId: string, roleName: string) {
  const roles = await platform.identityAdmin('GET', `/api/v1/roles?tenantId=${tenantId}`);
  const role = (roles.body as { id: string; name: string }[]).find((r) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName} in tenant ${tenantId}: ${JSON.stringify(roles.body)}`);
  const res = await platform.identityAdmin('POST', `/api/v1/users/${userId}/roles?tenantId=${tenantId}`, {
    roleIds: [role.id],
  });
  if (res.status !== 200) throw new Error(`assign ${roleName}: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * The user starts setting up an authenticator app through the account API (with a token of the
 * console app from the hosted login): the TOTP secret, and `confirm` to send the first code (its
 * answer, with the recovery codes, for the suite to check).
 */
export async function startTotpEnrolment(platform: Platform, tenantId: string, login: string, password: string) {
  const { accessToken } = await identityApiToken(await consoleApp(platform, tenantId), login, password, [
    'identity.users.read',
  ]);
  const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
  const url = `${platform.identityUrl}/api/v1/me/mfa/totp`;
  const secret: string = (await fetchJson(url, { method: 'POST', headers })).body.secret;
  const confirm = (code: string) =>
    fetchJson(`${url}/confirm`, { method: 'POST', headers, body: JSON.stringify({ code }) });
  return { secret, confirm };
}
