import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors, type JWK, jwtVerify, type JWTPayload } from 'jose';
import { ALLOWED_ALGORITHMS } from './algorithms';
import { type DpopReplayStore, InMemoryDpopReplayStore } from './dpop-replay-store';
import { normalizeHtu } from './request-url';
import { ResourceServerError, ResourceServerErrorCode } from './resource-server-error';

export interface DpopProofVerifierOptions {
  /** How far a proof's `iat` may be from now, either way (default 60 s). */
  iatWindowSec?: number;
  /** Where seen `jti`s are kept (default: this process's memory; see InMemoryDpopReplayStore). */
  replayStore?: DpopReplayStore;
}

/** What the proof must match: this request and this access token (and its bound key, if any). */
export interface DpopExpectation {
  method: string;
  /** The request URL without query and fragment, as the client addressed it. */
  url: string;
  accessToken: string;
  /** The token's `cnf.jkt`; absent for an unbound token presented with the DPoP scheme. */
  jkt?: string;
}

// A JWS in compact form: exactly one proof (several DPoP headers arrive comma-joined).
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// RFC 7517/7518 private key members: a proof must carry a public key only.
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** Checks DPoP proofs at a resource server (RFC 9449 §4.3 and §7.1). */
export class DpopProofVerifier {
  private readonly windowSec: number;
  private readonly replayStore: DpopReplayStore;

  constructor(options: DpopProofVerifierOptions = {}) {
    this.windowSec = options.iatWindowSec ?? 60;
    this.replayStore = options.replayStore ?? new InMemoryDpopReplayStore();
  }

  async verify(proof: string | string[] | undefined, expected: DpopExpectation): Promise<void> {
    if (proof === undefined) throw invalidProof('A DPoP proof (DPoP header) is required');
    if (typeof proof !== 'string' || !COMPACT_JWS.test(proof)) {
      throw invalidProof('The DPoP header must hold exactly one proof JWT');
    }
    const { payload, jwk } = await this.verifiedProof(proof);

    if (payload.htm !== expected.method) throw invalidProof('The DPoP proof was made for another HTTP method');
    const htu = typeof payload.htu === 'string' ? normalizeHtu(payload.htu) : null;
    if (!htu || htu !== expected.url) throw invalidProof('The DPoP proof was made for another URL');
    const now = Date.now() / 1000;
    if (Math.abs(now - payload.iat!) > this.windowSec) throw invalidProof('The DPoP proof is too old or too new');
    if (payload.ath !== sha256(expected.accessToken)) {
      throw invalidProof('The DPoP proof was made for another access token (ath)');
    }
    if (expected.jkt !== undefined && (await calculateJwkThumbprint(jwk, 'sha256')) !== expected.jkt) {
      throw invalidProof('The DPoP proof is not signed with the key the access token is bound to');
    }
    // Last, so that only otherwise valid proofs take room in the store. Any proof is acceptable
    // at most until now + 2 × window (an iat up to one window ahead, plus the window).
    const firstUse = await this.replayStore.firstUse(`${payload.jti}`, (now + 2 * this.windowSec) * 1000);
    if (!firstUse) throw invalidProof('The DPoP proof has been used before');
  }

  private async verifiedProof(proof: string): Promise<{ payload: JWTPayload; jwk: JWK }> {
    try {
      const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
        typ: 'dpop+jwt',
        algorithms: ALLOWED_ALGORITHMS,
        requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      });
      const jwk = protectedHeader.jwk!;
      if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) {
        throw invalidProof('The DPoP proof key must be a public key');
      }
      if (typeof payload.jti !== 'string' || !payload.jti || payload.jti.length > 256) {
        throw invalidProof('The DPoP proof jti claim is not acceptable');
      }
      return { payload, jwk };
    } catch (error) {
      if (error instanceof ResourceServerError) throw error;
      throw invalidProof(describe(error));
    }
  }
}

/** RFC 9449 §4.2: `ath` is the base64url SHA-256 of the access token's ASCII form. */
const sha256 = (value: string) => createHash('sha256').update(value, 'ascii').digest('base64url');

function describe(error: unknown): string {
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The DPoP proof algorithm is not allowed';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === 'typ'
      ? 'The DPoP proof typ header must be dpop+jwt'
      : `The DPoP proof ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWTExpired) return 'The DPoP proof has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The DPoP proof signature is not valid';
  return 'The DPoP proof could not be verified';
}

const invalidProof = (message: string) =>
  new ResourceServerError(ResourceServerErrorCode.InvalidDpopProof, message, 'DPoP');
