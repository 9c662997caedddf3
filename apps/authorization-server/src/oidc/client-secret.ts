import { sha256Hex } from '@platform/crypto';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The hash of a client's previous secret while its rotation overlap lasts, else undefined. */
export type PreviousSecretLookup = (clientId: string) => Promise<string | undefined>;

export function previousSecretHashOf(dataSource: DataSource): PreviousSecretLookup {
  return async (clientId) => {
    const [row] = await dataSource.query(
      'SELECT previous_secret_hash FROM oauth_clients WHERE client_id = $1 AND previous_secret_expires_at > now()',
      [clientId],
    );
    return row?.previous_secret_hash?.trim();
  };
}

/**
 * The provider's Client#compareClientSecret. Secrets are stored as SHA-256; during a rotation's
 * overlap window the previous one works too (looked up only when the current one does not match,
 * so the hot path stays one hash).
 */
export function clientSecretComparison(previousHashOf: PreviousSecretLookup) {
  return async function compareClientSecret(
    this: { clientId: string; clientSecret?: string },
    actual: string,
  ): Promise<boolean> {
    const presented = sha256Hex(actual);
    if (sameHash(this.clientSecret, presented)) return true;
    return sameHash(await previousHashOf(this.clientId), presented);
  };
}

/** Constant-time comparison of two hex hashes (a missing one never matches). */
export function sameHash(expected: string | undefined, presented: string): boolean {
  const a = Buffer.from(expected ?? '', 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
