import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { principalFromClaims, type Principal } from './principal';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri: string;
  clockToleranceSec?: number;
  /** Minimum time between JWKS refetches triggered by unknown `kid`s (default 10 s). */
  jwksCooldownMs?: number;
}

/** Asymmetric algorithms only: `none` and HMAC (key-confusion attacks) are never accepted. */
export const ALLOWED_ALGORITHMS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const ACCEPTED_TYPES = new Set(['at+jwt', 'application/at+jwt']);
// Headers that would let a token name its own verification key.
const KEY_BEARING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/**
 * Verifies RFC 9068 JWT access tokens against the authorization server's JWKS
 * (cached by jose; an unknown `kid` triggers a refetch, rate-limited by its cooldown).
 */
export class AccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.keys = createRemoteJWKSet(new URL(options.jwksUri), {
      timeoutDuration: 3_000,
      cooldownDuration: options.jwksCooldownMs ?? 10_000,
    });
  }

  async verify(token: string): Promise<Principal> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw invalid('The access token is malformed');
    }
    if (KEY_BEARING_HEADERS.some((name) => name in header)) throw invalid('The access token names its own key');
    if (!ACCEPTED_TYPES.has(String(header.typ ?? '').toLowerCase()))
      throw invalid('The token is not a JWT access token');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.options.clockToleranceSec ?? 30,
        requiredClaims: ['exp', 'iat', 'client_id'],
      });
      if ((payload.iat ?? 0) > Date.now() / 1000 + (this.options.clockToleranceSec ?? 30)) {
        throw invalid('The access token was issued in the future');
      }
      return principalFromClaims(payload);
    } catch (error) {
      if (error instanceof ResourceServerError) throw error;
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
        // The signing keys could not be fetched: our problem, not the token's.
        throw new ResourceServerError(
          ResourceServerErrorCode.VerificationUnavailable,
          'Signing keys are unavailable; retry later',
        );
      }
      throw invalid(describe(error));
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The access token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The access token ${error.claim} claim is not acceptable`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'The access token was signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The access token algorithm is not allowed';
  return 'The access token could not be verified';
}

const invalid = (message: string) => new ResourceServerError(ResourceServerErrorCode.InvalidToken, message);
