import { createHmac } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import * as bcrypt from 'bcrypt';

export type PasswordHashAlgorithm = 'argon2id' | 'bcrypt';

/** How new hashes are made; a stored hash made otherwise is re-hashed at the next sign-in. */
export interface PasswordHashPolicy {
  algorithm: PasswordHashAlgorithm;
  bcryptCost: number;
  /** OWASP's argon2id floor: m = 19 MiB, t = 2, p = 1. */
  argon2: { memoryKiB: number; iterations: number; parallelism: number };
}

export const OWASP_ARGON2ID = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const;

/** The policy of the service's configuration (PASSWORD_HASH_ALGORITHM, BCRYPT_COST, ARGON2_*). */
export function passwordHashPolicy(config: {
  PASSWORD_HASH_ALGORITHM: PasswordHashAlgorithm;
  BCRYPT_COST: number;
  ARGON2_MEMORY_KIB: number;
  ARGON2_ITERATIONS: number;
  ARGON2_PARALLELISM: number;
}): PasswordHashPolicy {
  return {
    algorithm: config.PASSWORD_HASH_ALGORITHM,
    bcryptCost: config.BCRYPT_COST,
    argon2: {
      memoryKiB: config.ARGON2_MEMORY_KIB,
      iterations: config.ARGON2_ITERATIONS,
      parallelism: config.ARGON2_PARALLELISM,
    },
  };
}

const BCRYPT_SCHEME = 'bcrypt-hmac-sha256';
/** @node-rs/argon2's `Algorithm.Argon2id` (a const enum, which isolated modules cannot read). */
const ARGON2ID = 2;
const ARGON2ID_PREFIX = '$argon2id$';
// Not a secret: a domain separator, so our pre-hashes cannot be matched against
// plain SHA-256 password hashes leaked from elsewhere ("password shucking").
const PREHASH_KEY = 'identity-platform/password-prehash/v1';

/**
 * Password hashes, two schemes side by side (hashing and verifying run on the libuv thread
 * pool, never on the event loop):
 * - argon2id (the default): the PHC string `$argon2id$v=19$m=…,t=…,p=…$salt$hash`, which
 *   carries its own parameters; no length limit, so no pre-hash.
 * - bcrypt over an HMAC-SHA-256 pre-hash: bcrypt reads at most 72 bytes, so without the
 *   pre-hash two long passwords sharing a prefix would verify as each other. Stored as
 *   `bcrypt-hmac-sha256$<bcrypt hash>`.
 * Both verify whatever the policy; needsRehash says when a stored hash is not today's.
 */
export class PasswordHasher {
  constructor(readonly policy: PasswordHashPolicy) {}

  async hash(password: string): Promise<string> {
    if (this.policy.algorithm === 'bcrypt') {
      return `${BCRYPT_SCHEME}$${await bcrypt.hash(prehash(password), this.policy.bcryptCost)}`;
    }
    const { memoryKiB, iterations, parallelism } = this.policy.argon2;
    return argon2Hash(normalized(password), {
      algorithm: ARGON2ID,
      memoryCost: memoryKiB,
      timeCost: iterations,
      parallelism,
    });
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(ARGON2ID_PREFIX)) {
      // A malformed stored hash is a wrong password, not a 500.
      return argon2Verify(stored, normalized(password)).catch(() => false);
    }
    const bcryptHash = bcryptPart(stored);
    return bcryptHash !== null && bcrypt.compare(prehash(password), bcryptHash);
  }

  /** True when the hash was made with another scheme or cost than today's policy: re-hash at next login. */
  needsRehash(stored: string): boolean {
    if (this.policy.algorithm === 'bcrypt') {
      const bcryptHash = bcryptPart(stored);
      return bcryptHash === null || bcrypt.getRounds(bcryptHash) !== this.policy.bcryptCost;
    }
    const params = argon2idParameters(stored);
    const { memoryKiB, iterations, parallelism } = this.policy.argon2;
    return params === null || params.m !== memoryKiB || params.t !== iterations || params.p !== parallelism;
  }
}

function bcryptPart(stored: string): string | null {
  return stored.startsWith(`${BCRYPT_SCHEME}$`) ? stored.slice(BCRYPT_SCHEME.length + 1) : null;
}

/** m, t, p of a `$argon2id$v=19$m=…,t=…,p=…$…` string (null for anything else or another version). */
function argon2idParameters(stored: string): { m: number; t: number; p: number } | null {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  return match ? { m: Number(match[1]), t: Number(match[2]), p: Number(match[3]) } : null;
}

const normalized = (password: string) => password.normalize('NFKC');

function prehash(password: string): string {
  return createHmac('sha256', PREHASH_KEY).update(normalized(password), 'utf8').digest('base64');
}
