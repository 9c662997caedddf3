import { ClientError, ClientErrorCode } from './client-errors';

/** Enough for a rotation overlap of a few keys of each family, not a place to store documents. */
export const MAX_CLIENT_KEYS = 10;
export const MAX_CLIENT_JWKS_BYTES = 16_384;

/** Members that only private or symmetric keys have (RFC 7518 §6). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);

/** Why a client's inline JWKS cannot be registered, or null: public signing keys only, bounded. */
export function clientJwksProblem(jwks: unknown): string | null {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) {
    return 'jwks must be a JWK Set: an object with a "keys" array';
  }
  const keys = (jwks as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > MAX_CLIENT_KEYS) return `jwks must hold 1 to ${MAX_CLIENT_KEYS} keys`;
  if (Buffer.byteLength(JSON.stringify(jwks)) > MAX_CLIENT_JWKS_BYTES) {
    return `jwks must be at most ${MAX_CLIENT_JWKS_BYTES} bytes`;
  }
  for (const key of keys) {
    if (typeof key !== 'object' || key === null) return 'every key of jwks must be a JWK object';
    const { kty, use } = key as { kty?: unknown; use?: unknown };
    if (typeof kty !== 'string' || !PUBLIC_KEY_TYPES.has(kty)) return 'jwks keys must be RSA, EC or OKP public keys';
    if (PRIVATE_MEMBERS.some((member) => member in key)) {
      return 'jwks must hold public keys only: never register a private key';
    }
    if (use !== undefined && use !== 'sig') return 'jwks keys are for signatures (use "sig")';
  }
  return null;
}

/** The inline JWKS of a registration, as stored; throws the 400 the clients API answers. */
export function clientJwks(jwks: unknown): { keys: object[] } {
  const problem = clientJwksProblem(jwks);
  if (problem) throw new ClientError(ClientErrorCode.InvalidMetadata, problem);
  return { keys: (jwks as { keys: object[] }).keys };
}
