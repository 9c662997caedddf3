import { createHash, randomBytes } from 'node:crypto';

/** High-entropy secrets (recovery codes, email links, API keys) are stored as plain SHA-256: no brute force can reach them. */
export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** A URL-safe random token with `bytes` of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
