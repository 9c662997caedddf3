import { createHmac } from 'node:crypto';
import * as bcrypt from 'bcrypt';

const SCHEME = 'bcrypt-hmac-sha256';
// Not a secret: a domain separator, so our pre-hashes cannot be matched against
// plain SHA-256 password hashes leaked from elsewhere ("password shucking").
const PREHASH_KEY = 'identity-platform/password-prehash/v1';

/**
 * bcrypt over an HMAC-SHA-256 pre-hash: bcrypt reads at most 72 bytes, so without
 * the pre-hash two long passwords sharing a prefix would verify as each other.
 * Stored as `bcrypt-hmac-sha256$<bcrypt hash>`.
 */
export class PasswordHasher {
  constructor(readonly cost: number) {}

  async hash(password: string): Promise<string> {
    return `${SCHEME}$${await bcrypt.hash(prehash(password), this.cost)}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const bcryptHash = this.bcryptPart(stored);
    return bcryptHash !== null && bcrypt.compare(prehash(password), bcryptHash);
  }

  /** True when the hash was made with another cost (or scheme) than today's: re-hash at next login. */
  needsRehash(stored: string): boolean {
    const bcryptHash = this.bcryptPart(stored);
    return bcryptHash === null || bcrypt.getRounds(bcryptHash) !== this.cost;
  }

  private bcryptPart(stored: string): string | null {
    return stored.startsWith(`${SCHEME}$`) ? stored.slice(SCHEME.length + 1) : null;
  }
}

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(password.normalize('NFKC'), 'utf8').digest('base64');
}
