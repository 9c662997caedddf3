import { type ApiErrorCodeOf, defineApiErrorCodes } from '@platform/runtime';
import { ALLOWED_ALGORITHMS } from './algorithms';

const [codes, StatusError] = defineApiErrorCodes({
  MissingToken: ['missing_token', 401],
  InvalidToken: ['invalid_token', 401],
  /** RFC 9449 §7.1: the DPoP proof is missing, malformed, replayed or not for this request, token or key. */
  InvalidDpopProof: ['invalid_dpop_proof', 401],
  InsufficientScope: ['insufficient_scope', 403],
  NotFound: ['not_found', 404],
  VerificationUnavailable: ['token_verification_unavailable', 503],
});

export const ResourceServerErrorCode = codes;
export type ResourceServerErrorCode = ApiErrorCodeOf<typeof ResourceServerErrorCode>;

/** The authentication scheme a challenge is issued for (RFC 6750 Bearer, RFC 9449 DPoP). */
export type AuthScheme = 'Bearer' | 'DPoP';

const DPOP_ALGS = `algs="${ALLOWED_ALGORITHMS.join(' ')}"`;

export class ResourceServerError extends StatusError {
  constructor(
    code: ResourceServerErrorCode,
    message: string,
    /** The scheme the challenge names: the one the request used, or DPoP when only DPoP can succeed. */
    readonly scheme: AuthScheme = 'Bearer',
  ) {
    super(code, message);
  }

  /** RFC 6750 §3 / RFC 9449 §7.1: the challenge a 401/403 carries; DPoP challenges list the proof algorithms. */
  get wwwAuthenticate(): string | null {
    const challenge = (scheme: AuthScheme, error: string, withDescription = true) => {
      const params = [`error="${error}"`];
      if (withDescription) params.push(`error_description="${this.message.replace(/["\\]/g, "'")}"`);
      if (scheme === 'DPoP') params.push(DPOP_ALGS);
      return `${scheme} ${params.join(', ')}`;
    };
    switch (this.code) {
      case ResourceServerErrorCode.MissingToken:
        // Both schemes are accepted here, so both are offered.
        return `Bearer, DPoP ${DPOP_ALGS}`;
      case ResourceServerErrorCode.InvalidToken:
        return challenge(this.scheme, 'invalid_token');
      case ResourceServerErrorCode.InvalidDpopProof:
        return challenge('DPoP', 'invalid_dpop_proof');
      case ResourceServerErrorCode.InsufficientScope:
        return challenge(this.scheme, 'insufficient_scope', false);
      default:
        return null;
    }
  }
}
