import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';

/**
 * Envelope encryption of small secrets at rest (TOTP seeds, IdP client secrets,
 * signing keys) with AES-256-GCM. Each ciphertext names the key id it was sealed
 * with, so keys can be rotated: add a new key first in the list (it seals from then
 * on) and keep the old ones until everything is re-sealed.
 */
export class Keyring {
  private constructor(
    private readonly keys: Map<string, Buffer>,
    readonly activeKeyId: string,
  ) {}

  /** Parses `kid:base64key[,kid:base64key...]`; the first key is the active one. */
  static parse(spec: string): Keyring {
    const keys = new Map<string, Buffer>();
    for (const entry of spec
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [kid, material] = entry.split(':');
      const key = Buffer.from(material ?? '', 'base64');
      if (!kid || !/^[A-Za-z0-9_-]{1,32}$/.test(kid) || key.length !== 32) {
        throw new Error('each key must be "kid:<32 bytes in base64>" with a kid of letters, digits, _ or -');
      }
      if (keys.has(kid)) throw new Error(`key id "${kid}" appears twice`);
      keys.set(kid, key);
    }
    const active = keys.keys().next().value;
    if (!active) throw new Error('at least one key is required');
    return new Keyring(keys, active);
  }

  static generateSpec(kid = `k${Date.now().toString(36)}`): string {
    return `${kid}:${randomBytes(32).toString('base64')}`;
  }

  /**
   * Keys for another purpose (cookie signing, CSRF tokens) derived from every key of the ring
   * with HKDF, the active one first: what the old keys signed still verifies after a rotation.
   */
  deriveKeys(purpose: string): Buffer[] {
    // Map order is the spec's order, so the active key comes first.
    return [...this.keys.values()].map((key) =>
      Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `identity-platform:${purpose}`, 32)),
    );
  }

  /** `associatedData` binds the ciphertext to its owner (e.g. a user id): it cannot be moved to another row. */
  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.keys.get(this.activeKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.activeKeyId, iv, ciphertext, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, associatedData: string): string {
    const [format, kid, iv, ciphertext, tag] = sealed.split('.');
    const key = kid === undefined ? undefined : this.keys.get(kid);
    if (format !== FORMAT || !key || !iv || ciphertext === undefined || !tag) {
      throw new Error('cannot open this secret: unknown format or key id');
    }
    const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** True when the secret was sealed with an older key and should be re-sealed. */
  isStale(sealed: string): boolean {
    return sealed.split('.')[1] !== this.activeKeyId;
  }
}

/** True when `spec` parses as a keyring (for configuration validation). */
export function isKeyringSpec(spec: string): boolean {
  try {
    Keyring.parse(spec);
    return true;
  } catch {
    return false;
  }
}
