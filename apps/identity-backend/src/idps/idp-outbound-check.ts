import { Logger } from '@nestjs/common';
import { type OutboundGuard, outboundRefusalOf } from '@platform/outbound';
import { IdentityError, IdentityErrorCode } from '../common/identity-error';

/** Discovery entries the platform calls itself (the authorization endpoint is only the browser's). */
const SERVER_SIDE_ENDPOINTS = ['token_endpoint', 'userinfo_endpoint', 'jwks_uri'] as const;
export const DISCOVERY_TIMEOUT_MS = 5_000;

/** Where an issuer publishes its OpenID Provider metadata (OIDC Discovery 1.0 §4: appended to its path). */
export const discoveryUrlOf = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

const logger = new Logger('IdpOutboundCheck');

/**
 * An IdP's issuer and the endpoints its discovery document names are fetched server-side at
 * sign-in, so a registration naming a loopback, private or special-use address (directly, by a
 * name resolving to one, or by a redirect to one) is refused now, with a code, rather than
 * failing later. The connect-time guard stays the real barrier: a name that does not resolve
 * yet, or an issuer that is down, passes here.
 */
export async function assertIdpOutboundTargets(guard: OutboundGuard, issuer: string): Promise<void> {
  await refuseIfForbidden('issuer', () => guard.assertAllowedUrl(issuer));
  const discoveryUrl = discoveryUrlOf(issuer);
  let document: Record<string, unknown>;
  try {
    const res = await guard.fetch(discoveryUrl, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (!res.ok) return;
    document = (await res.json()) as Record<string, unknown>;
  } catch (error) {
    if (outboundRefusalOf(error)) throw forbidden('issuer', outboundRefusalOf(error)!.reason);
    logger.log(`discovery of ${issuer} not checked now: ${(error as Error).message}`);
    return;
  }
  for (const field of SERVER_SIDE_ENDPOINTS) {
    const endpoint = document?.[field];
    if (typeof endpoint === 'string' && URL.canParse(endpoint)) {
      await refuseIfForbidden(field, () => guard.assertAllowedUrl(endpoint));
    }
  }
}

async function refuseIfForbidden(field: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    const refusal = outboundRefusalOf(error);
    if (!refusal) throw error;
    throw forbidden(field, refusal.reason);
  }
}

const forbidden = (field: string, reason: string) =>
  new IdentityError(
    IdentityErrorCode.OutboundTargetForbidden,
    field === 'issuer'
      ? 'The issuer must be reachable on the public internet: loopback, private and special-use addresses are refused'
      : `The discovery document's ${field} must be on the public internet: loopback, private and special-use addresses are refused`,
    { field, reason },
  );
