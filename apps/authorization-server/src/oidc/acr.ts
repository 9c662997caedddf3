import type { interactionPolicy } from 'oidc-provider';

/** The authentication context classes this server can reach (OIDC Core §2 `acr`), weakest first. */
export const ACR_PASSWORD = 'urn:identity-platform:acr:pwd';
export const ACR_MFA = 'urn:identity-platform:acr:mfa';
/** Phishing resistant: a passkey (WebAuthn, user verification) took part, bound to this origin. */
export const ACR_PHISHING_RESISTANT = 'urn:identity-platform:acr:phr';
export const ACR_VALUES = [ACR_PASSWORD, ACR_MFA, ACR_PHISHING_RESISTANT] as const;

/** Methods (RFC 8176 `amr`) that make a sign-in multi-factor once a password was checked. */
const SECOND_FACTORS = new Set(['otp', 'mfa', 'hwk', 'swk', 'sms']);
/** A passkey assertion (hardware- or software-bound key; the backend requires user verification). */
const PASSKEY_METHODS = new Set(['hwk', 'swk']);

/** The acr a finished sign-in reached, from the methods it used (federated sign-ins count as one factor). */
export function acrOf(amr: readonly string[]): string {
  if (amr.some((method) => PASSKEY_METHODS.has(method))) return ACR_PHISHING_RESISTANT;
  return amr.some((method) => SECOND_FACTORS.has(method)) ? ACR_MFA : ACR_PASSWORD;
}

/** An acr's rank (pwd < mfa < phr); -1 for one this server does not know, which nothing satisfies. */
const levelOf = (acr: string | undefined): number => ACR_VALUES.indexOf(acr as (typeof ACR_VALUES)[number]);

/** Whether a sign-in that reached `reached` satisfies a request for `requested` (a stronger level satisfies a weaker one). */
export function satisfiesAcr(reached: string | undefined, requested: string): boolean {
  const wanted = levelOf(requested);
  return wanted >= 0 && levelOf(reached) >= wanted;
}

/**
 * The acr to put in the session and ID token: the strongest requested value the sign-in satisfies
 * (a client asking for mfa gets `acr: mfa` from a passkey sign-in, the value it knows), else the
 * level reached.
 */
export function grantedAcr(params: AcrParams, reached: string): string {
  const satisfied = requestedAcr(params).values.filter((value) => satisfiesAcr(reached, value));
  return satisfied.sort((a, b) => levelOf(b) - levelOf(a))[0] ?? reached;
}

/** Whether the request asks for more than the password (mfa or phr): a trusted device then never skips the second factor. */
export function asksBeyondPassword(params: AcrParams): boolean {
  return requestedAcr(params).values.some((value) => levelOf(value) > levelOf(ACR_PASSWORD));
}

/** Authorization request parameters (only acr_values and claims are read). */
type AcrParams = Record<string, unknown>;

/** The acr values an authorization request asks for: `acr_values` and/or `claims.id_token.acr`. */
export function requestedAcr(params: AcrParams): {
  values: string[];
  essential: boolean;
} {
  const fromParam = typeof params.acr_values === 'string' ? params.acr_values.split(' ').filter(Boolean) : [];
  const claim = parseClaims(params.claims)?.id_token?.acr;
  const fromClaim = claim
    ? [...(Array.isArray(claim.values) ? claim.values : []), ...(claim.value ? [claim.value] : [])]
    : [];
  return {
    values: [...new Set([...fromClaim, ...fromParam].filter((v): v is string => typeof v === 'string'))],
    essential: claim?.essential === true && fromClaim.length > 0,
  };
}

interface AcrClaim {
  essential?: unknown;
  value?: unknown;
  values?: unknown;
}

function parseClaims(claims: unknown): { id_token?: { acr?: AcrClaim } } | undefined {
  if (typeof claims === 'object' && claims !== null) return claims as { id_token?: { acr?: AcrClaim } };
  if (typeof claims !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(claims);
    return typeof parsed === 'object' && parsed !== null ? (parsed as { id_token?: { acr?: AcrClaim } }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An essential acr the finished sign-in did not reach (OIDC Core §5.5.1.1): the request ends with
 * `unmet_authentication_requirements` (OpenID Connect Core errata 2 / the error code registry)
 * rather than issuing an ID token that does not say what the client required.
 */
export function unmetAcr(params: AcrParams, reached: string): boolean {
  const { values, essential } = requestedAcr(params);
  return essential && !values.some((value) => satisfiesAcr(reached, value));
}

/**
 * Step-up: a session below the strongest level asked for (pwd asked for mfa or phr, mfa asked for
 * phr; as a preference
 * in `acr_values`; essential requests are the provider's own `essential_acrs` check), signs in
 * again, so an enrolled user passes the second-factor page. A sign-in that just happened is not
 * asked again (a user without a second factor gets the password level, not a loop).
 */
export function withAcrStepUp(
  policy: interactionPolicy.DefaultPolicy,
  Check: typeof interactionPolicy.Check,
): interactionPolicy.DefaultPolicy {
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider no longer has the login prompt');
  login.checks.add(
    new Check('acr_step_up', 'a stronger authentication was requested', (ctx) => {
      const { params = {}, acr, session, result } = ctx.oidc;
      if (!session?.accountId || result?.login) return false;
      // The strongest level asked for (preference or not) above the session's: sign in again.
      const strongest = Math.max(-1, ...requestedAcr(params).values.map(levelOf));
      return strongest > levelOf(ACR_PASSWORD) && strongest > levelOf(acr);
    }),
  );
  return policy;
}
