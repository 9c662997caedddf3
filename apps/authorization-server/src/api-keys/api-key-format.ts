import { randomToken } from '@platform/crypto';
import { randomBytes } from 'node:crypto';

/** Every API key starts with this, so secret scanners and the token endpoints can recognise one. */
export const API_KEY_PREFIX = 'ipk_';

/** `ipk_` + 20 hex characters of public id + `_` + 43 base64url characters (256 bits) of secret. */
const SHAPE = /^ipk_([0-9a-f]{20})_[A-Za-z0-9_-]{43}$/;

/** A new key and its public id (the part it is looked up by). */
export function generateApiKey(): { id: string; key: string } {
  const id = randomBytes(10).toString('hex');
  return { id, key: `${API_KEY_PREFIX}${id}_${randomToken(32)}` };
}

/** The public id of a well-formed key, or null. */
export function apiKeyId(value: string): string | null {
  return SHAPE.exec(value)?.[1] ?? null;
}

/** Cheap test deciding whether a presented token is handled as an API key rather than an OAuth token. */
export const looksLikeApiKey = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(API_KEY_PREFIX);
