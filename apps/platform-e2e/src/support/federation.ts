import type { Platform } from './platform';

/**
 * The downstream platform's environment when another platform on loopback is its upstream OpenID
 * provider: plain http to a private address is refused unless allowed, in both services (the
 * backend checks the issuer when the provider is registered, the authorization server at sign-in).
 */
export const UPSTREAM_ON_LOOPBACK = {
  authz: { OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true' },
  identity: { OUTBOUND_ALLOW_PRIVATE_NETWORK: 'true' },
};

/** The downstream platform as a trusted confidential client of an upstream tenant, for its federated callback. */
export function downstreamClientAt(upstream: Platform, tenantId: string, downstream: Platform, name: string) {
  return upstream.createClient({
    name,
    type: 'confidential',
    trusted: true,
    tenantId,
    redirectUris: [`${downstream.issuer}/interaction/callback/federated`],
    scopes: ['openid', 'email', 'profile'],
  });
}

/** Registers the upstream as the downstream tenant's "Partner SSO" provider; the API's answer, for the suite to check. */
export function registerPartnerSso(
  downstream: Platform,
  tenantId: string,
  upstream: Platform,
  client: { clientId: string; clientSecret: string | null },
  options: { scopes?: string[]; jitProvisioning: boolean; autoLinkVerifiedEmail?: boolean },
) {
  return downstream.identityAdmin('POST', `/api/v1/idps?tenantId=${tenantId}`, {
    slug: 'partner-sso',
    displayName: 'Partner SSO',
    issuer: upstream.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    ...options,
  });
}
