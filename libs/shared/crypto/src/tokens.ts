import { hash, randomBytes } from 'node:crypto';

/** High-entropy secrets (recovery codes, email links, API keys) are stored as plain SHA-256: no brute force can reach them. */
// crypto.hash: the one-shot digest, without a Hash object per call (client secrets are hashed on every token request).
export const sha256Hex = (value: string): string => hash('sha256', value, 'hex');

/** A URL-safe random token with `bytes` of entropy. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
