/** Asymmetric algorithms only: `none` and HMAC (key-confusion attacks) are never accepted, for tokens and DPoP proofs alike. */
export const ALLOWED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
