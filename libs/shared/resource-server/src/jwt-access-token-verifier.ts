import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import { BoundedCache } from '@platform/runtime';
import { ALLOWED_ALGORITHMS } from './algorithms';
import { principalFromClaims, type Principal } from './principal';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

export interface JwtAccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  jwksUri: string;
  /** Allowed clock skew for exp, nbf and iat (default 30 s). */
  clockToleranceSec?: number;
  /** Required `typ` header (default `at+jwt`, RFC 9068); the `application/` form is accepted too. */
  requiredTyp?: string;
  /** Minimum time between JWKS refetches triggered by unknown `kid`s (default 10 s). */
  jwksCooldownMs?: number;
  /** How long a verified token's signature check is remembered (default 60 s; 0: never), never past its expiry. */
  verifiedTokenTtlMs?: number;
}

/** Tokens remembered as verified (only tokens that verified get in, so requests cannot flood it). */
const VERIFIED_TOKENS_MAX = 2_000;

// Headers that would let a token name its own verification key. jose never follows
// them, but a token carrying one is hostile or broken either way.
const KEY_BEARING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
// RFC 9068 §2.2 claims the principal is built from (aud, iss and exp are checked by jose).
const REQUIRED_CLAIMS = ['exp', 'iat', 'sub', 'client_id'];

/**
 * Verifies RFC 9068 JWT access tokens against the authorization server's JWKS
 * (cached by jose; an unknown `kid` triggers a refetch, rate-limited by its cooldown).
 */
export class JwtAccessTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly clockToleranceSec: number;
  private readonly acceptedTypes: ReadonlySet<string>;
  /**
   * Claims of tokens whose signature and claims verified: the identity backend is presented the
   * same service token on every internal call (one per sign-in, token and refresh), and checking
   * its ES256 signature each time was the backend's largest CPU cost per call. Expiry is checked
   * on every use.
   */
  private readonly verified: BoundedCache<JWTPayload> | null;

  constructor(private readonly options: JwtAccessTokenVerifierOptions) {
    const jwks = createRemoteJWKSet(new URL(options.jwksUri), {
      timeoutDuration: 3_000,
      cooldownDuration: options.jwksCooldownMs ?? 10_000,
    });
    this.keys = keysOrUnavailable(jwks);
    this.clockToleranceSec = options.clockToleranceSec ?? 30;
    const typ = (options.requiredTyp ?? 'at+jwt').toLowerCase().replace(/^application\//, '');
    this.acceptedTypes = new Set([typ, `application/${typ}`]);
    const ttlMs = options.verifiedTokenTtlMs ?? 60_000;
    this.verified = ttlMs > 0 ? new BoundedCache({ max: VERIFIED_TOKENS_MAX, ttlMs }) : null;
  }

  async verify(token: string): Promise<Principal> {
    const header = protectedHeader(token);
    if (KEY_BEARING_HEADERS.some((name) => name in header)) throw invalid('The access token names its own key');
    // RFC 7515 §4.1.9: media types compare case-insensitively.
    if (typeof header.typ !== 'string' || !this.acceptedTypes.has(header.typ.toLowerCase())) {
      throw invalid('The token is not a JWT access token');
    }
    const claims = this.verified
      ? await this.verified.get(token, () => this.verifiedClaims(token))
      : await this.verifiedClaims(token);
    // A remembered token may have expired since (jose checked exp when it first verified).
    if (claims.exp! + this.clockToleranceSec < Date.now() / 1000) {
      this.verified?.delete(token);
      throw invalid('The access token has expired');
    }
    if (typeof claims.sub !== 'string' || !claims.sub || typeof claims.client_id !== 'string' || !claims.client_id) {
      throw invalid('The access token sub or client_id claim is not acceptable');
    }
    return principalFromClaims(claims);
  }

  private async verifiedClaims(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ALLOWED_ALGORITHMS,
        clockTolerance: this.clockToleranceSec,
        requiredClaims: REQUIRED_CLAIMS,
      });
      // jose checks iat against the clock only when maxTokenAge is set.
      if (payload.iat! > Date.now() / 1000 + this.clockToleranceSec) {
        throw invalid('The access token was issued in the future');
      }
      return payload;
    } catch (error) {
      if (error instanceof ResourceServerError) throw error;
      throw invalid(describe(error));
    }
  }
}

function protectedHeader(token: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw invalid('The access token is malformed');
  }
}

/**
 * Key lookup that tells "the JWKS could not be fetched" (timeout, refused, non-200,
 * garbage: our problem, 503) apart from "no key matches this token" (the token's, 401).
 */
function keysOrUnavailable(jwks: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      const aboutTheToken =
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported;
      if (aboutTheToken) throw error;
      throw new ResourceServerError(
        ResourceServerErrorCode.VerificationUnavailable,
        'Signing keys are unavailable; retry later',
      );
    }
  };
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
